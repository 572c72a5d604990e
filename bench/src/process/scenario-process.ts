/**
 * Entry of the fresh process each scenario runs in: runs one scenario, sends its progress and its
 * result to the runner over IPC, and exits.
 */
import { performance } from 'node:perf_hooks';
import type { ScenarioContext } from '../harness/scenario.js';
import type { ScenarioResult } from '../harness/types.js';
import { findScenario } from '../scenarios/catalog.js';
import { SCENARIO_JOB_ENV, type ScenarioJob, type ScenarioMessage } from './scenario-messages.js';

function send(message: ScenarioMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
      return;
    }
    process.send(message, undefined, undefined, () => resolve());
  });
}

const job = JSON.parse(process.env[SCENARIO_JOB_ENV] ?? 'null') as ScenarioJob | null;
if (job === null) throw new Error(`scenario process started without ${SCENARIO_JOB_ENV}`);
const entry = findScenario(job.id);
const started = performance.now();
const context: ScenarioContext = {
  budget: job.budget,
  progress: (text) => void send({ type: 'progress', text }),
  ...(job.natsUrl === undefined ? {} : { natsUrl: job.natsUrl }),
};

let result: ScenarioResult;
try {
  const scenario = await entry.load();
  const outcome = await scenario.run(context);
  result = { id: entry.id, title: entry.title, ...outcome, wallSeconds: (performance.now() - started) / 1000 };
} catch (error) {
  result = {
    id: entry.id,
    title: entry.title,
    status: 'failed',
    comparisons: [],
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    wallSeconds: (performance.now() - started) / 1000,
  };
}
await send({ type: 'result', result });
// Whatever a scenario left behind (a stray timer or socket) must not keep this process alive.
process.exit(0);
