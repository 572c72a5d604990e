import { join } from 'node:path';
import type { Budget } from '../harness/budget.js';
import type { ScenarioResult } from '../harness/types.js';
import type { ScenarioEntry } from '../scenarios/catalog.js';
import { forkModule, stopChild } from './children.js';
import { SCENARIO_JOB_ENV, type ScenarioJob, isScenarioMessage } from './scenario-messages.js';

/** How to run one scenario process. */
export interface ScenarioRunOptions {
  budget: Budget;
  natsUrl?: string;
  /** Directory for V8 CPU profiles, when profiling. */
  profileDir?: string;
  progress(text: string): void;
}

/**
 * Runs one scenario in a fresh process (with --expose-gc, so phases start from a collected heap) and
 * returns its result. A process that crashes, exits without a result or outlives the scenario's time
 * bound is reported as failed, never hangs the run.
 */
export async function runScenarioProcess(entry: ScenarioEntry, options: ScenarioRunOptions): Promise<ScenarioResult> {
  const job: ScenarioJob = { id: entry.id, budget: options.budget, ...(options.natsUrl === undefined ? {} : { natsUrl: options.natsUrl }) };
  const extra = ['--expose-gc'];
  // Peers inherit the flags, so each scenario's profiles (its own and its peers', named by pid) share a directory.
  if (options.profileDir !== undefined) extra.push('--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, entry.id)}`);
  const child = forkModule('process/scenario-process', { [SCENARIO_JOB_ENV]: JSON.stringify(job) }, extra);
  if (options.profileDir !== undefined) options.progress(`profiling: the scenario process is pid ${child.pid}`);
  const started = Date.now();
  const failed = (error: string): ScenarioResult => ({
    id: entry.id,
    title: entry.title,
    status: 'failed',
    comparisons: [],
    error,
    wallSeconds: (Date.now() - started) / 1000,
  });
  let result: ScenarioResult | undefined;
  const timeoutMs = options.budget.scenarioTimeoutMs;
  const outcome = await new Promise<ScenarioResult>((resolve) => {
    const timer = setTimeout(() => {
      resolve(failed(`scenario ${entry.id} did not finish within ${timeoutMs / 1000} s; its process was stopped`));
    }, timeoutMs);
    child.on('message', (message: unknown) => {
      if (!isScenarioMessage(message)) return;
      if (message.type === 'progress') options.progress(message.text);
      else result = message.result;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(result ?? failed(`scenario process exited (${signal ?? `code ${code}`}) without a result`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(failed(`scenario process could not run: ${error.message}`));
    });
  });
  await stopChild(child);
  return outcome;
}
