#!/usr/bin/env node
/**
 * The demo: a hub (`cmd-ipc serve`), a TCP node and an actor node as real child processes, and a
 * scenario played across them and narrated. Exits 0 when every step did what it said, 1 naming the
 * step that did not, 2 for bad arguments, 130 when interrupted; every child process is ended on the
 * way out in all cases.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ProcessGroup } from './mesh/process-group.js';
import { Narrator } from './narrate/narrator.js';
import { DemoContext } from './scenario/context.js';
import { runSteps } from './scenario/runner.js';
import { SCENARIO } from './scenario/steps/index.js';
import { keepServing } from './serve-mode.js';

const USAGE = `npm run demo [-- --serve] [-- --step-timeout MS]

  --serve            after the scenario, keep the mesh running (live page, CLI) until Ctrl-C
  --step-timeout MS  time each step may take (default 20000; starting the actor node gets twice that)
`;

function readArgs(): { serve: boolean; stepTimeoutMs: number } {
  try {
    const { values } = parseArgs({
      options: { serve: { type: 'boolean' }, 'step-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    const stepTimeoutMs = values['step-timeout'] === undefined ? 20_000 : Number(values['step-timeout']);
    if (!Number.isInteger(stepTimeoutMs) || stepTimeoutMs < 1000) throw new Error(`--step-timeout must be a whole number of ms, at least 1000`);
    return { serve: values.serve === true, stepTimeoutMs };
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const options = readArgs();
const started = Date.now();
const narrator = new Narrator();
const group = new ProcessGroup();
const dataDir = mkdtempSync(join(tmpdir(), 'cmd-ipc-demo-'));
const context = new DemoContext(group, randomBytes(24).toString('base64url'), dataDir, options.stepTimeoutMs);

let finishing = false;
/** Stops everything and exits; the first caller wins. */
async function finish(code: number, message?: string): Promise<never> {
  if (!finishing) {
    finishing = true;
    narrator.stopProgress();
    if (message) narrator.line(message);
    const force = setTimeout(() => process.exit(code), 10_000);
    force.unref();
    await context.shutdown().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  }
  return new Promise<never>(() => {});
}

const stopped = new Promise<string>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
});
// Outside --serve, a signal means: stop now, whatever step is running.
if (!options.serve) void stopped.then((signal) => finish(130, `\n${signal}: interrupted; stopping every process of the mesh`));

narrator.line('cmd-ipc demo: a hub, a TCP node and an actor node as real processes on 127.0.0.1');
narrator.line();
try {
  const outcome = await runSteps(SCENARIO, context, narrator);
  if (!outcome.ok) {
    narrator.line();
    narrator.line(`demo FAILED at step ${outcome.index}/${SCENARIO.length} "${outcome.title}": ${outcome.message}`);
    for (const exit of group.unexpectedExits) narrator.line(`  note: ${exit}`);
    for (const managed of group.running) {
      if (managed.recent.length === 0) continue;
      narrator.line(`last lines from ${managed.name}:`);
      for (const line of managed.recent.slice(-10)) narrator.line(`  ${line}`);
    }
    await finish(1);
  }
  if (options.serve) {
    await keepServing(context, narrator, stopped);
    await finish(0);
  }
  await finish(0, `\ndemo finished: every step did what it said (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  await finish(1, `demo FAILED: ${(error as Error)?.stack ?? String(error)}`);
}
