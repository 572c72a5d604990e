/**
 * `pnpm bench`: runs every scenario (or those named with --only), each in a fresh process, prints the
 * table and writes the JSON report. Figures are reported against their targets, never asserted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type RunOptions, USAGE, UsageError, parseOptions } from './cli/options.js';
import { FULL_BUDGET, QUICK_BUDGET } from './harness/budget.js';
import type { BenchReport, ScenarioResult } from './harness/types.js';
import { type RunningNatsServer, startNatsServer } from './infra/nats-server.js';
import { benchPackageDir } from './process/module-path.js';
import { runScenarioProcess } from './process/run-scenario.js';
import { currentLoad, describeMachine } from './report/machine.js';
import { renderMarkdown, renderTable } from './report/table.js';
import { selectScenarios } from './scenarios/catalog.js';

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

async function main(options: RunOptions): Promise<number> {
  const scenarios = selectScenarios(options.only);
  if (scenarios.length === 0) throw new UsageError(`no scenario matches ${options.only.join(', ')}`);
  const budget = options.quick ? QUICK_BUDGET : FULL_BUDGET;
  const machine = describeMachine();
  const started = performance.now();
  const profileDir = options.profileDir === undefined ? undefined : resolve(options.profileDir);
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  log(`cmd-ipc bench: ${scenarios.length} scenario(s), ${options.quick ? 'quick' : 'full'} run, Node ${machine.node}, ${machine.cpu} × ${machine.cores}`);

  let nats: RunningNatsServer | undefined;
  const results: ScenarioResult[] = [];
  const stopNats = (): void => void nats?.stop();
  process.once('SIGINT', () => {
    stopNats();
    process.exit(130);
  });
  try {
    for (const [index, entry] of scenarios.entries()) {
      log(`\n[${index + 1}/${scenarios.length}] ${entry.id}: ${entry.title}`);
      let natsUrl: string | undefined;
      if (entry.needsNats) {
        try {
          nats ??= await startNatsServer();
          natsUrl = nats.url;
          log(`  · nats-server at ${nats.url}`);
        } catch (error) {
          results.push({ id: entry.id, title: entry.title, status: 'failed', comparisons: [], error: (error as Error).message, wallSeconds: 0 });
          log(`  ✗ ${(error as Error).message}`);
          continue;
        }
      }
      const result = await runScenarioProcess(entry, {
        budget,
        ...(natsUrl === undefined ? {} : { natsUrl }),
        ...(profileDir === undefined ? {} : { profileDir }),
        progress: (text) => log(`  · ${text}`),
      });
      results.push(result);
      log(`  ${result.status === 'ok' ? '✓ done' : result.status === 'unavailable' ? '– not available yet' : '✗ failed'} in ${result.wallSeconds.toFixed(1)} s`);
    }
  } finally {
    await nats?.stop();
  }

  machine.loadAverageEnd = currentLoad();
  const report: BenchReport = {
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    totalSeconds: (performance.now() - started) / 1000,
    machine,
    options: { quick: options.quick, only: options.only },
    scenarios: results,
  };
  const out = options.out === undefined ? join(benchPackageDir(), 'results', 'latest.json') : resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  const table = options.markdown ? renderMarkdown(report) : renderTable(report);
  if (options.json) {
    log(`\n${table}`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`\n${table}\n`);
  }
  log(`\nJSON report written to ${out}`);
  return results.some((result) => result.status === 'failed') ? 1 : 0;
}

try {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
  } else if (options.from !== undefined) {
    const report = JSON.parse(readFileSync(options.from, 'utf8')) as BenchReport;
    process.stdout.write(`${options.markdown ? renderMarkdown(report) : renderTable(report)}\n`);
  } else {
    process.exitCode = await main(options);
  }
} catch (error) {
  if (error instanceof UsageError) {
    log(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
