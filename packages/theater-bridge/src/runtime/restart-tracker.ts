import type { RestartPolicy } from '../manifest/manifest-schema.js';

/** Why an actor instance ended, as supervision sees it. */
export type EndKind = 'failure' | 'exit';

/**
 * Applies a restart policy: whether an ending of this kind restarts the actor, within the limit of
 * `maxRestarts` restarts per sliding window of `periodMs`.
 */
export class RestartTracker {
  private readonly history: number[] = [];

  constructor(readonly policy: RestartPolicy) {}

  /** True when the policy covers this kind of ending at all. */
  covers(kind: EndKind): boolean {
    if (this.policy.policy === 'always') return true;
    return this.policy.policy === 'on-failure' && kind === 'failure';
  }

  /** Decides (and records, when yes) a restart at time `now`. */
  allow(kind: EndKind, now = Date.now()): boolean {
    if (!this.covers(kind)) return false;
    while (this.history.length > 0 && (this.history[0] ?? 0) <= now - this.policy.periodMs) this.history.shift();
    if (this.history.length >= this.policy.maxRestarts) return false;
    this.history.push(now);
    return true;
  }
}
