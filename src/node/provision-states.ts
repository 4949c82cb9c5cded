/**
 * Ironic's provisioning state machine (ironic/common/states.py), reduced to
 * what a driver that finishes every step at once needs: each action from a
 * stable state lands in the next stable state.
 */
const TRANSITIONS: Record<string, Record<string, string>> = {
  manage: { enroll: 'manageable', available: 'manageable', 'inspect failed': 'manageable', 'clean failed': 'manageable', 'adopt failed': 'manageable' },
  provide: { manageable: 'available' },
  inspect: { manageable: 'manageable' },
  clean: { manageable: 'manageable' },
  adopt: { manageable: 'active', 'adopt failed': 'active' },
  active: { available: 'active' },
  deploy: { available: 'active' },
  rebuild: { active: 'active' },
  deleted: { active: 'available', 'deploy failed': 'available', error: 'available' },
  undeploy: { active: 'available', 'deploy failed': 'available', error: 'available' },
};

/** States a node may be deleted in. */
export const DELETABLE_STATES = ['available', 'enroll', 'manageable', 'error', 'inspect failed', 'clean failed', 'adopt failed'];

/** The state an action leads to from a state, or null when Ironic refuses it. */
export function provisionTransition(from: string, action: string): string | null {
  return TRANSITIONS[action]?.[from] ?? null;
}
