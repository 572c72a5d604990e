import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import { oursChildProcess, rawChildProcess } from '../transports/child-process.js';
import { runTransportScenario } from './transport-scenario.js';

/** Child process: process.send echo vs executeCommand over ChildProcessChannel (fork IPC, JSON). */
export function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  return runTransportScenario(
    context,
    'child process',
    { raw: rawChildProcess, ours: oursChildProcess },
    "Fork IPC with serialization 'json'. Floor: process.send {id, request} echoed back, integer id map. Ours: executeCommand into a child registry (ChildProcessChannel/ParentProcessChannel).",
  );
}
