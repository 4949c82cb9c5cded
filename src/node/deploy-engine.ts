import type { NodeRow } from './node.repository';

/**
 * Deploys and tears down nodes whose deploy interface does real work
 * (boot from volume reads the node's volume records, which nodes know
 * nothing of): node/ declares it, the module that can binds it, as the
 * powered-off guard's planner is bound.
 */
export const DEPLOY_ENGINE = Symbol('DEPLOY_ENGINE');

/** The provision actions a deploy engine takes over: deploy and tear down. */
export const DEPLOY_ACTIONS = ['active', 'deploy', 'deleted', 'undeploy'];

export interface DeployEngine {
  /** Whether the engine deploys this node (else the state machine moves it at once, as fake deploys do). */
  handles(node: NodeRow): boolean;
  /** Starts the action (202): the node is reserved and moves through Ironic's transient states. */
  provision(node: NodeRow, action: string): Promise<void>;
}
