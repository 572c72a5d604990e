import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { toWireError } from 'cmd-ipc';
import { createSharedReply, DEFAULT_SHARED_BYTES, writeReply } from './shared-reply.js';
import type { CallMessage, FromWorker, HostCallMessage, InitMessage } from './worker-messages.js';

/** Executes one host call for the worker; resolves with the reply's JSON text. */
export type HostCallHandler = (iface: string, fn: string, input: string) => Promise<string>;

/** How one export call ended. */
export type CallOutcome =
  | { kind: 'returned'; output: string }
  | { kind: 'trapped'; message: string }
  | { kind: 'abi-violation'; message: string }
  | { kind: 'timed-out'; timeoutMs: number }
  | { kind: 'crashed'; message: string };

/** Options for `ActorWorker.start`. */
export interface ActorWorkerOptions {
  onHostCall: HostCallHandler;
  /** Called once if the worker dies while no call is running (a call in flight gets `crashed` instead). */
  onIdleCrash?: (message: string) => void;
  /** Inline reply capacity of the shared buffer, in bytes. */
  sharedBytes?: number;
  /** How long instantiation may take, in ms (default 10000). */
  startTimeoutMs?: number;
  /** Thread name, for debugging. */
  name?: string;
}

/** Raised when a module cannot be instantiated in its worker. */
export class WorkerStartError extends Error {
  readonly code = 'worker_start_failed';

  constructor(name: string, detail: string) {
    super(`actor ${name} could not start: ${detail}`);
    this.name = 'WorkerStartError';
  }
}

// In the built package the worker entry is plain JavaScript next to this file. Run from the
// package's sources (tests, tsx) it is TypeScript: Node 20 does not apply `--import` hooks given in a
// worker's execArgv, so a small bootstrap registers tsx inside the worker and then loads the entry.
const fromSource = import.meta.url.endsWith('.ts');

function workerTarget(): { entry: URL | string; eval: boolean } {
  if (!fromSource) return { entry: new URL('./actor-worker-main.js', import.meta.url), eval: false };
  // tsx's ESM API (`tsx/esm/api`, import condition), by absolute URL so the bootstrap does not
  // depend on the worker's working directory.
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: { './esm/api': { import: { default: string } } } };
  const api = pathToFileURL(join(dirname(packageJson), exports['./esm/api'].import.default)).href;
  const entry = new URL('./actor-worker-main.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return { entry: bootstrap, eval: true };
}
const WORKER = workerTarget();

interface PendingCall {
  seq: number;
  resolve: (outcome: CallOutcome) => void;
  timer: NodeJS.Timeout;
}

/**
 * One actor instance in its own worker thread. One export call runs at a time; a call that outlives
 * its deadline terminates the worker (the only way to stop a wasm loop), so after `timed-out`,
 * `trapped` or `crashed` this worker is done and the owner starts a new one.
 */
export class ActorWorker {
  private readonly replyPort: MessagePort;
  private pending: PendingCall | undefined;
  private seq = 0;
  private dead = false;
  private deathReason: string | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly shared: SharedArrayBuffer,
    replyPort: MessagePort,
    private readonly options: ActorWorkerOptions,
  ) {
    this.replyPort = replyPort;
  }

  /** Starts a worker and instantiates `module` in it; resolves once it is ready for calls. */
  static start(module: WebAssembly.Module, options: ActorWorkerOptions): Promise<ActorWorker> {
    const name = options.name ?? 'actor';
    const shared = createSharedReply(options.sharedBytes ?? DEFAULT_SHARED_BYTES);
    const { port1, port2 } = new MessageChannel();
    // execArgv: [] so a worker does not inherit the parent's loader hooks (e.g. `--import tsx`), which
    // would slow every actor's start; the source path registers tsx itself in its bootstrap.
    const worker = new Worker(WORKER.entry, { eval: WORKER.eval, execArgv: [], name, stdout: false, stderr: false });
    const actorWorker = new ActorWorker(worker, shared, port1, options);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        fail(`instantiation took longer than ${options.startTimeoutMs ?? 10_000} ms`);
      }, options.startTimeoutMs ?? 10_000);
      const fail = (detail: string): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        void actorWorker.terminate();
        reject(new WorkerStartError(name, detail));
      };
      const onMessage = (message: FromWorker): void => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          actorWorker.listen();
          resolve(actorWorker);
        } else if (message.type === 'init-failed') {
          fail(message.message);
        }
      };
      const onError = (error: Error): void => fail(error.message);
      const onExit = (code: number): void => fail(`worker exited with code ${code} during start`);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      const init: InitMessage = { type: 'init', module, shared, replyPort: port2 };
      worker.postMessage(init, [port2]);
    });
  }

  /** True until the worker has been terminated or died. */
  get alive(): boolean {
    return !this.dead;
  }

  /** Runs export `name` with JSON texts `state` and `params`, bounded by `timeoutMs`. */
  call(name: string, state: string, params: string, timeoutMs: number): Promise<CallOutcome> {
    if (this.dead) return Promise.resolve({ kind: 'crashed', message: this.deathReason ?? 'worker is gone' });
    if (this.pending) throw new Error('ActorWorker.call while another call is running');
    const seq = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle({ kind: 'timed-out', timeoutMs });
        void this.terminate('deadline exceeded');
      }, timeoutMs);
      this.pending = { seq, resolve, timer };
      const message: CallMessage = { type: 'call', seq, name, state, params };
      this.worker.postMessage(message);
    });
  }

  /** Stops the worker thread (idempotent); a call still running ends as `crashed` with `reason`. */
  async terminate(reason = 'terminated'): Promise<void> {
    if (!this.dead) {
      this.dead = true;
      this.deathReason = reason;
    }
    if (this.pending) this.settle({ kind: 'crashed', message: reason });
    this.replyPort.close();
    await this.worker.terminate();
  }

  private listen(): void {
    this.worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'host':
          void this.serveHost(message);
          return;
        case 'returned':
          this.settle({ kind: 'returned', output: message.output }, message.seq);
          return;
        case 'trapped':
          this.settle({ kind: 'trapped', message: message.message }, message.seq);
          return;
        case 'abi-violation':
          this.settle({ kind: 'abi-violation', message: message.message }, message.seq);
          return;
        default:
          return;
      }
    });
    this.worker.on('error', (error) => this.onDeath(`uncaught error in worker: ${error.message}`));
    this.worker.on('exit', (code) => this.onDeath(`worker exited with code ${code}`));
  }

  private onDeath(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.deathReason = reason;
    if (this.pending) this.settle({ kind: 'crashed', message: reason });
    else this.options.onIdleCrash?.(reason);
  }

  private settle(outcome: CallOutcome, seq?: number): void {
    const pending = this.pending;
    if (!pending || (seq !== undefined && seq !== pending.seq)) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  private async serveHost(message: HostCallMessage): Promise<void> {
    // A worker ended at its deadline may still have its last host call delivered (Node drains a
    // worker's messages on exit): nobody waits for it, and it must not act for an instance that is gone.
    if (this.dead) return;
    let reply: string;
    try {
      reply = await this.options.onHostCall(message.interface, message.function, message.input);
    } catch (error) {
      reply = JSON.stringify({ ok: false, error: toWireError(error) });
    }
    // A call stopped at its deadline may still have had a host call in flight; nobody waits for it now.
    if (this.dead) return;
    writeReply(this.shared, this.replyPort, reply);
  }
}
