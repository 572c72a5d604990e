import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import { oursWorker, rawWorker } from '../transports/worker.js';
import { runTransportScenario } from './transport-scenario.js';

/** Worker thread: postMessage echo vs executeCommand over WorkerChannel. */
export function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  return runTransportScenario(
    context,
    'worker thread',
    { raw: rawWorker, ours: oursWorker },
    'Floor: postMessage {id, request} to a worker that posts it back, integer id map. Ours: executeCommand into a child registry in the worker (WorkerChannel/ParentPortChannel).',
  );
}
