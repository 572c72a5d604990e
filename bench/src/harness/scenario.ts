import type { Budget } from './budget.js';
import type { CallTarget } from './measure.js';
import type { ScenarioResult } from './types.js';

/** What a scenario gets from the process that runs it. */
export interface ScenarioContext {
  budget: Budget;
  /** URL of the nats-server the runner started, for scenarios that need one. */
  natsUrl?: string;
  /** Reports what the scenario is doing now (printed by the runner). */
  progress(text: string): void;
}

/** What a scenario module returns; the runner adds id, title and wall time. */
export type ScenarioOutcome = Omit<ScenarioResult, 'id' | 'title' | 'wallSeconds'>;

/** A scenario module's one export. */
export interface ScenarioModule {
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}

/** One path set up and ready to call: the floor or ours over some transport. */
export interface Endpoint {
  label: string;
  call: CallTarget;
  /** Stops every process, socket and registry this endpoint started. */
  close(): Promise<void>;
}

/** Closes every endpoint, even when one fails to close; the first failure is rethrown after. */
export async function closeAll(endpoints: Endpoint[]): Promise<void> {
  const results = await Promise.allSettled(endpoints.map((endpoint) => endpoint.close()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}
