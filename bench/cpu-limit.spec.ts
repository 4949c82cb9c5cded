import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { canLimitCpu, limitCpu } from './cpu-limit';
import { cpuSeconds } from './proc';

const maybe = canLimitCpu() ? describe : describe.skip;

maybe('a CPU limit on a process tree', () => {
  it('holds a busy parent and the child it forks to the cores allowed, and lets them go on release', async () => {
    // A parent and a child, both spinning, in a process group of their own: the limit is on the pair.
    const spinner = spawn(process.execPath, ['-e', "require('node:child_process').spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }); process.send('forked'); for(;;){}"], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      detached: true,
    });
    try {
      await new Promise((resolve) => spinner.once('message', resolve));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const limit = limitCpu(`ironvol-test-${spinner.pid}`, spinner.pid!, 0.3);
      const before = cpuSeconds(spinner.pid!);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const used = (cpuSeconds(spinner.pid!) - before) / 1.5;
      // Unlimited, the pair would take up to two cores; /proc counts in 10 ms ticks.
      expect(used).toBeLessThan(0.45);
      expect(used).toBeGreaterThan(0.1);
      limit.release();
      expect(readFileSync(`/proc/${spinner.pid}/cgroup`, 'utf8')).not.toContain(`ironvol-test-${spinner.pid}`);
    } finally {
      process.kill(-spinner.pid!, 'SIGKILL');
    }
  });
});
