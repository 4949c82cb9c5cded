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

/** Ironic's states that change without a request (states.UNSTABLE_STATES). */
const UNSTABLE = ['deploying', 'wait call-back', 'cleaning', 'clean wait', 'verifying', 'deleting', 'inspecting', 'inspect wait', 'adopting', 'rescuing', 'rescue wait', 'unrescuing'];
export const isUnstable = (state: string | null) => state !== null && UNSTABLE.includes(state);

/** The API's target named as its state machine event (Ironic's states.VERBS). */
export const EVENT_OF_TARGET: Record<string, string> = {
  active: 'deploy', deploy: 'deploy', deleted: 'delete', undeploy: 'delete', manage: 'manage', provide: 'provide',
  inspect: 'inspect', clean: 'clean', adopt: 'adopt', rebuild: 'rebuild',
};

/** One move of Ironic's state machine: the event, and the provision and target states it leaves. */
export interface ProvisionStep {
  event: string;
  state: string;
  target: string | null;
}

/**
 * The moves Ironic's conductor makes for an action that finishes at once
 * (fake-hardware, automated cleaning off), from a stable state to the next:
 * deploy is deploying then active, provide cleaning then available, tear
 * down deleting, cleaning, then available. Each move is a provision_set
 * notification.
 */
const STEPS: Record<string, (from: string, to: string) => ProvisionStep[]> = {
  manage: (from, to) => (from === 'enroll' ? [{ event: 'manage', state: 'verifying', target: to }, done(to)] : [{ event: 'manage', state: to, target: null }]),
  provide: (_from, to) => [{ event: 'provide', state: 'cleaning', target: to }, done(to)],
  inspect: (_from, to) => [{ event: 'inspect', state: 'inspecting', target: to }, done(to)],
  clean: (_from, to) => [{ event: 'clean', state: 'cleaning', target: to }, done(to)],
  adopt: (_from, to) => [{ event: 'adopt', state: 'adopting', target: to }, done(to)],
  deploy: (_from, to) => [{ event: 'deploy', state: 'deploying', target: to }, done(to)],
  rebuild: (_from, to) => [{ event: 'rebuild', state: 'deploying', target: to }, done(to)],
  delete: (_from, to) => [{ event: 'delete', state: 'deleting', target: to }, { event: 'clean', state: 'cleaning', target: to }, done(to)],
};
const done = (to: string): ProvisionStep => ({ event: 'done', state: to, target: null });

export function provisionSteps(from: string, action: string, to: string): ProvisionStep[] {
  return STEPS[EVENT_OF_TARGET[action]](from, to);
}
