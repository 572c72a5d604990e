/** Runs the demo as a child process, the way `npm run demo` does, for the demo and live-view tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SOURCE_MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const BUILT_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface DemoRun {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text`. */
  waitFor(text: string | RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the demo (from source through tsx, or built) from the repository root, as `npm run demo` does. */
export function startDemo(main: string, args: string[] = []): DemoRun {
  const nodeArgs = main.endsWith('.ts') ? ['--conditions=development', '--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeArgs, main, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const wakers = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const wake of [...wakers]) wake();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (expected, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (typeof expected === 'string' ? !text.includes(expected) : !expected.test(text)) return;
          wakers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`the demo did not print ${String(expected)} within ${timeoutMs} ms; it printed:\n${text}`));
        }, timeoutMs);
        wakers.add(check);
        check();
      }),
  };
}

/** Waits for the demo to exit, killing it (and failing) after `timeoutMs`. */
export async function finished(run: DemoRun, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const result = await run.exited;
  clearTimeout(timer);
  return result;
}

/** The pids the demo printed for its hub and nodes. */
export function meshPids(output: string): number[] {
  return [...new Set([...output.matchAll(/(?:hub|tcp-node|actor-node)(?: is back \(| \(| )pid (\d+)/g)].map((match) => Number(match[1])))];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
