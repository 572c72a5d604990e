/**
 * Runs the real `cmd-ipc` CLI as a child process (TypeScript through tsx), and starts `cmd-ipc serve`
 * as a real hub, for the CLI tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const NODE_ARGS = ['--conditions=development', '--import', 'tsx'];

/** The test-wide secret; children get it through $CMD_IPC_SECRET unless a test overrides the environment. */
export const SECRET = 'cli-test-secret';

/** The environment a CLI child runs with: no inherited CMD_IPC_* variables, the test secret set. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CMD_IPC_')) env[key] = value;
  env.CMD_IPC_SECRET = SECRET;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** What a finished CLI run left behind. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI with `args`; the caller owns the process. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, CLI, ...args], { cwd: PACKAGE_DIR, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs the CLI to completion (bounded by `timeoutMs`, after which it is killed and the test fails). */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawnCli(args, options.env ?? cliEnv());
  return collect(child, options.timeoutMs ?? 20_000, options.input);
}

/** Collects a CLI child's output until it exits. */
export function collect(child: ChildProcess, timeoutMs: number, input?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin!.end(input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cmd-ipc did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    // 'close' comes after the exit and after both pipes drained.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A `cmd-ipc serve` child and where it listens. */
export interface ServedHub {
  child: ChildProcess;
  urls: { ws?: string; tcp?: string; liveView?: string };
  /** Every JSON line the hub printed so far. */
  lines: Record<string, unknown>[];
  /** Resolves with the first printed line that matches. */
  waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
}

/** Starts `cmd-ipc serve --json` on free ports and waits for its "listening" line. */
export async function startServe(args: string[] = ['--tcp-port', '0'], env: NodeJS.ProcessEnv = cliEnv()): Promise<ServedHub> {
  const child = spawnCli(['serve', '--port', '0', '--json', ...args], env);
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      lines.push({ text });
    }
    for (const wake of [...waiters]) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForLine = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = lines.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`cmd-ipc serve printed no matching line within ${timeoutMs} ms; lines: ${JSON.stringify(lines)}; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  let listening: Record<string, unknown>;
  try {
    listening = await waitForLine((line) => line.event === 'listening');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    urls: listening.urls as ServedHub['urls'],
    lines,
    waitForLine,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
