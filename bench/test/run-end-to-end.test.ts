import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../src/index.js';

const RUN = fileURLToPath(new URL('../src/run.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cmd-ipc-bench-test-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bench CLI from its sources (as `pnpm bench` runs the built one) and returns stdout, stderr. */
function runBench(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', RUN, ...args],
      { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 }),
    );
  });
}

describe('bench runner, end to end (a harness check, not a timing assertion)', () => {
  it('runs the in-process scenario in a fresh process and reports floor, ours and ratio as JSON, on stdout and in the file', async () => {
    const out = join(dir, 'report.json');
    const { stdout, stderr, code } = await runBench(['--quick', '--only', 'in-process', '--json', '--out', out]);
    expect(code, stderr).toBe(0);

    const report = JSON.parse(stdout) as BenchReport;
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(report);
    expect(report.machine.node).toBe(process.version);
    expect(report.machine.cpu.length).toBeGreaterThan(0);
    expect(report.options).toEqual({ quick: true, only: ['in-process'] });
    expect(report.scenarios.map((scenario) => [scenario.id, scenario.status])).toEqual([['in-process', 'ok']]);

    const comparisons = report.scenarios[0]!.comparisons;
    expect(comparisons.map((c) => [c.name, c.mode])).toEqual([
      ['in-process', 'sequential'],
      ['in-process', '64 in flight'],
      ['in-process, zod', 'sequential'],
      ['in-process, zod', '64 in flight'],
    ]);
    for (const c of comparisons) {
      expect(c.floor.count).toBeGreaterThan(0);
      expect(c.ours.count).toBeGreaterThan(0);
      expect(c.floor.perSecond).toBeGreaterThan(0);
      expect(c.ours.perSecond).toBeGreaterThan(0);
      expect(c.ratio).toBeCloseTo(c.ours.perSecond / c.floor.perSecond, 10);
      expect(c.floor.p50Us).toBeGreaterThan(0);
      expect(c.ours.p99Us).toBeGreaterThanOrEqual(c.ours.p50Us!);
    }
    // The zod path is reported against its target (≥ 0.5× plain async); the verdict follows the ratio.
    for (const c of comparisons.filter((c) => c.name === 'in-process, zod')) {
      expect(c.target).toEqual({ minRatio: 0.5, label: '≥ 0.5× plain async', met: c.ratio >= 0.5 });
    }
    // Progress and the table go to stderr, so stdout stays JSON.
    expect(stderr).toContain('[1/1] in-process');
    expect(stderr).toContain('ours/floor');
  });

  it('refuses an unknown option with a usage message and exit code 2', async () => {
    const { stderr, code } = await runBench(['--frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option --frobnicate');
    expect(stderr).toContain('Usage:');
  });
});
