import type { Tx } from '../common/db/db.service';
import { LOGGER } from '../observability/logger';
import { newTestService } from '../../test/support/new-test-service';
import { InterruptedActions } from './interrupted-actions';
import { NodeRepository, NodeRow } from './node.repository';
import { ProvisionEvents } from './provision-events';

describe(InterruptedActions.name, () => {
  it('fails each node left in a transient state with a last_error, and frees its reservation', async () => {
    const logger = { warn: jest.fn() };
    const { sut, mock } = newTestService(InterruptedActions, new Map([[LOGGER, logger]]));
    const nodes = mock(NodeRepository);
    const tx = {} as Tx;
    nodes.interrupted.mockResolvedValue([
      { id: 1, uuid: 'a', provision_state: 'deploying' },
      { id: 2, uuid: 'b', provision_state: 'verifying' },
    ] as NodeRow[]);
    nodes.write.mockImplementation(async (_uuid, fn) => fn(tx));
    await sut.onApplicationBootstrap();
    expect(nodes.interrupted).toHaveBeenCalledWith(['deploying', 'deleting', 'cleaning', 'verifying']);
    expect(nodes.update).toHaveBeenCalledWith(tx, 1, expect.objectContaining({
      provision_state: 'deploy failed',
      last_error: 'The action of provision state "deploying" was interrupted (the process running it stopped); the node was moved to "deploy failed".',
    }), expect.any(String));
    expect(nodes.update).toHaveBeenCalledWith(tx, 2, expect.objectContaining({ provision_state: 'enroll' }), expect.any(String));
    expect(nodes.unreserve.mock.calls).toEqual([[tx, 1], [tx, 2]]);
    // Each failure is the state machine's fail event, sent as Ironic's provision_set.error.
    expect(mock(ProvisionEvents).provisionSet.mock.calls).toEqual([
      [tx, 1, { state: 'deploying', target: undefined }, [{ event: 'fail', state: 'deploy failed', target: null }]],
      [tx, 2, { state: 'verifying', target: undefined }, [{ event: 'fail', state: 'enroll', target: null }]],
    ]);
  });
});
