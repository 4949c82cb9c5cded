import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { assertPoweredOff, ChangeKind, ChangePlanner, POWER_OFF_ACTION, PoweredOffGuard } from './powered-off.guard';
import type { PowerLiveCheck } from './power/live-check';

function contextFor(action: string, change: ChangeKind = 'update'): ExecutionContext {
  const handler = () => undefined;
  Reflect.defineMetadata(POWER_OFF_ACTION, { action, change }, handler);
  return {
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => ({ params: { uuid: 'x' }, query: {}, body: [], apiVersion: 32 }) }),
  } as unknown as ExecutionContext;
}

describe(PoweredOffGuard.name, () => {
  const guardWith = (nodes: { uuid: string; power_state: string | null }[]) => {
    const planner: ChangePlanner = { plan: async () => ({ nodes }) };
    const liveCheck = { assertMachinesOff: async () => undefined } as unknown as PowerLiveCheck;
    return new PoweredOffGuard(new Reflector(), planner, liveCheck);
  };

  it('lets a change through when every node is powered off', async () => {
    await expect(guardWith([{ uuid: 'a', power_state: 'power off' }, { uuid: 'b', power_state: 'power off' }]).canActivate(contextFor('volume connector update'))).resolves.toBe(true);
  });

  it.each([
    [[{ uuid: 'a', power_state: 'power on' }], 'a', 'power on'],
    [[{ uuid: 'a', power_state: null }], 'a', 'None'],
    [[{ uuid: 'a', power_state: 'power on' }, { uuid: 'b', power_state: 'power on' }], 'a', 'power on'],
    [[{ uuid: 'a', power_state: 'power off' }, { uuid: 'b', power_state: 'power on' }], 'b', 'power on'],
  ])('refuses %j naming node %s', async (nodes, uuid, state) => {
    await expect(guardWith(nodes).canActivate(contextFor('volume target deletion', 'delete'))).rejects.toThrow(
      `The requested action "volume target deletion" can not be performed on node "${uuid}" while it is in state "${state}".`,
    );
  });

  it('asks the planner for the change the route names, with the parsed request', async () => {
    const plan = jest.fn(async () => ({ nodes: [{ uuid: 'a', power_state: 'power off' }] }));
    const liveCheck = { assertMachinesOff: async () => undefined } as unknown as PowerLiveCheck;
    await new PoweredOffGuard(new Reflector(), { plan }, liveCheck).canActivate(contextFor('volume target deletion', 'delete'));
    expect(plan).toHaveBeenCalledWith('delete', { params: { uuid: 'x' }, query: {}, body: [], minor: 32 }, undefined);
  });

  it('exposes the rule for the write path', () => {
    expect(() => assertPoweredOff([{ uuid: 'n', power_state: 'power off' }], 'x')).not.toThrow();
  });
});
