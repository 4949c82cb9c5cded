#!/usr/bin/python3
"""An IPMI BMC in front of a QEMU machine, for the boot from volume tests.

Built on pyghmi's Bmc class, as virtualbmc is. Power on starts the machine
(booting from the network when the boot device is PXE), power off kills
it, power status reports whether it runs. The machine sits on an isolated
user-mode network: 10.0.2.100:80 reaches the boot listener and
10.0.2.101:3260 the iSCSI target, both on loopback, and nothing else.

Usage: vm-bmc.py --port UDP --mac MAC --boot-http-port P --iscsi-port P --serial FILE
Answers IPMI as admin/password on 127.0.0.1.
"""

import argparse
import atexit
import signal
import subprocess
import sys

import pyghmi.ipmi.bmc as bmc

BOOT_HTTP = '10.0.2.100'
ISCSI_PORTAL = '10.0.2.101'


class VirtualMachineBmc(bmc.Bmc):
    def __init__(self, args):
        super().__init__({'admin': 'password'}, port=args.port, address='127.0.0.1')
        self.args = args
        self.boot_device = 'default'
        self.machine = None

    def qemu_command(self):
        a = self.args
        netdev = ','.join([
            'user', 'id=n0', 'restrict=on',
            'bootfile=http://%s/boot.ipxe' % BOOT_HTTP,
            'guestfwd=tcp:%s:80-cmd:socat - TCP:127.0.0.1:%d' % (BOOT_HTTP, a.boot_http_port),
            'guestfwd=tcp:%s:3260-cmd:socat - TCP:127.0.0.1:%d' % (ISCSI_PORTAL, a.iscsi_port),
        ])
        return [
            a.qemu, '-accel', a.accel, '-m', '64', '-nodefaults', '-display', 'none',
            '-serial', 'file:%s' % a.serial,
            '-boot', 'n' if self.boot_device == 'network' else 'c',
            '-netdev', netdev, '-device', 'e1000,netdev=n0,mac=%s' % a.mac,
        ]

    def running(self):
        return self.machine is not None and self.machine.poll() is None

    def get_power_state(self):
        return 'on' if self.running() else 'off'

    def is_active(self):
        return self.running()

    def power_on(self):
        if not self.running():
            self.machine = subprocess.Popen(self.qemu_command(), stdin=subprocess.DEVNULL)
            log('power on: boot device %s, pid %d' % (self.boot_device, self.machine.pid))

    def power_off(self):
        if self.running():
            self.machine.kill()
            self.machine.wait()
            log('power off')

    power_shutdown = power_off

    def power_reset(self):
        self.power_off()
        self.power_on()

    power_cycle = power_reset

    def get_boot_device(self):
        return self.boot_device

    def set_boot_device(self, bootdevice):
        self.boot_device = bootdevice
        log('boot device %s' % bootdevice)

    def cold_reset(self):
        sys.exit(0)


def log(message):
    print(message, flush=True)


def main():
    parser = argparse.ArgumentParser(prog='vm-bmc', description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--mac', required=True)
    parser.add_argument('--boot-http-port', type=int, required=True)
    parser.add_argument('--iscsi-port', type=int, required=True)
    parser.add_argument('--serial', required=True)
    parser.add_argument('--qemu', default='qemu-system-x86_64')
    parser.add_argument('--accel', default='tcg')
    args = parser.parse_args()
    server = VirtualMachineBmc(args)
    # The machine never outlives its BMC.
    atexit.register(server.power_off)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log('listening on %d' % args.port)
    server.listen()


if __name__ == '__main__':
    sys.exit(main())
