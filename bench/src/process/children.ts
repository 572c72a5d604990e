import { type ChildProcess, fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { RUNNING_FROM_SOURCE, benchModule } from './module-path.js';

/** Environment variable that carries a peer's JSON config. */
export const PEER_CONFIG_ENV = 'CMD_IPC_BENCH_PEER';

/**
 * Forks a bench module as a child process with a JSON IPC pipe. The child gets this process's
 * execArgv (so the tsx loader and --expose-gc carry over) plus `extraExecArgv`.
 */
export function forkModule(module: string, env: Record<string, string> = {}, extraExecArgv: string[] = []): ChildProcess {
  return fork(benchModule(module), [], {
    execArgv: [...process.execArgv, ...extraExecArgv],
    serialization: 'json',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Forks a peer with its config. */
export function forkPeer(module: string, config: object): ChildProcess {
  return forkModule(module, { [PEER_CONFIG_ENV]: JSON.stringify(config) });
}

/** Starts a bench module in a worker thread; from sources, tsx is registered first. */
export function startWorker(module: string, workerData: unknown): Worker {
  const file = benchModule(module);
  if (!RUNNING_FROM_SOURCE) return new Worker(file, { workerData });
  // A worker's execArgv cannot load tsx before its entry, so a tiny eval'd entry registers tsx's ESM
  // loader and then imports the TypeScript module.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = pathToFileURL(file).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  const conditions = process.execArgv.filter((arg) => arg.startsWith('--conditions'));
  return new Worker(bootstrap, { eval: true, workerData, execArgv: conditions });
}

/** Waits for the first IPC message from `child` that `accept` returns a value for; fails on exit or after `timeoutMs`. */
export function waitForMessage<T>(child: ChildProcess, accept: (message: unknown) => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    const onMessage = (message: unknown): void => {
      const value = accept(message);
      if (value !== undefined) finish(undefined, value);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`process ${child.pid} exited (${signal ?? `code ${code}`}) while waiting for ${what}`));
    function finish(error: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** A peer's "ready" message, with the port it listens on when it has one. */
export interface ReadyMessage {
  type: 'ready';
  port?: number;
}

/** Waits for a peer's `{type: 'ready'}` message. */
export function waitForReady(child: ChildProcess, what: string, timeoutMs = 15_000): Promise<ReadyMessage> {
  return waitForMessage(child, (message) => (isReady(message) ? message : undefined), `${what} to be ready`, timeoutMs);
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready';
}

/** Ends a child: disconnect (peers exit on their own), then SIGTERM, then SIGKILL, each after a grace period. */
export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number): Promise<boolean> =>
    Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
  if (child.connected) child.disconnect();
  if (await within(graceMs)) return;
  child.kill('SIGTERM');
  if (await within(graceMs)) return;
  child.kill('SIGKILL');
  await exited;
}
