import type { Budget } from '../harness/budget.js';
import type { ScenarioResult } from '../harness/types.js';

/** Environment variable that carries the scenario process's job. */
export const SCENARIO_JOB_ENV = 'CMD_IPC_BENCH_SCENARIO';

/** What the runner asks one scenario process to do. */
export interface ScenarioJob {
  id: string;
  budget: Budget;
  natsUrl?: string;
}

/** What a scenario process sends back over IPC. */
export type ScenarioMessage = { type: 'progress'; text: string } | { type: 'result'; result: ScenarioResult };

/** True when `value` is a message a scenario process sends. */
export function isScenarioMessage(value: unknown): value is ScenarioMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'progress' || type === 'result';
}
