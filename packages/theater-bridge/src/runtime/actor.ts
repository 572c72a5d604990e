import { replyError, type HostReply } from '../abi/host-reply.js';
import type { EventChain } from '../chain/event-chain.js';
import {
  ActorCallError,
  ActorCrashError,
  ActorStoppedError,
  MailboxFullError,
  type TheaterError,
} from '../errors/theater-errors.js';
import type { JsonObject, JsonValue } from '../json/json-value.js';
import type { Manifest } from '../manifest/manifest.js';
import { ActorWorker, type CallOutcome } from '../worker/actor-worker.js';
import { interpretCall } from './call-outcome.js';
import type { RestartTracker } from './restart-tracker.js';

/** Where an actor is in its life. */
export type ActorStatus = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

/** What the runtime does for an actor (host calls, supervision decisions). */
export interface ActorHooks {
  /** Executes one host call (an import) on the actor's behalf. */
  hostCall(actor: Actor, iface: string, fn: string, input: JsonValue): Promise<HostReply>;
  /** The running instance failed (trap, deadline, crash, ABI violation): restart it or stop it. */
  onFailure(actor: Actor, error: TheaterError): Promise<void>;
  /** The actor asked to shut down and its call returned: restart it (policy `always`) or stop it. */
  onExit(actor: Actor, reason: string): Promise<void>;
  /** An instance ended (failure, exit, restart or stop): release what it held (timers, sockets, …). */
  onInstanceEnd(actor: Actor): Promise<void>;
}

/** Everything an actor is made from. */
export interface ActorSpec {
  id: string;
  /** The caller path the actor's host calls carry (`<registry id>/actor-<id>`). */
  caller: string;
  manifest: Manifest;
  module: WebAssembly.Module;
  /** SHA-256 (hex) of the .wasm bytes. */
  moduleHash: string;
  /** Handler exports (every function export the ABI does not reserve). */
  exports: string[];
  initialState: JsonValue;
  initParams: JsonValue;
  parent: string | undefined;
  tracker: RestartTracker;
  chain: EventChain;
  sharedBytes: number | undefined;
}

interface Queued {
  name: string;
  params: JsonValue;
  resolve: (result: JsonValue | undefined) => void;
  reject: (error: Error) => void;
}

type Outcome = { ok: true; result: JsonValue | undefined } | { ok: false; error: TheaterError; fatal: boolean };

/** The name of the export the runtime calls after every (re)start, when the module has it. */
export const INIT_EXPORT = 'init';

/**
 * One actor: a wasm instance in a worker, its state, a mailbox that feeds it one call at a time, and
 * its event chain. The runtime owns supervision; the actor reports failures and exits through hooks.
 */
export class Actor {
  readonly id: string;
  readonly caller: string;
  readonly manifest: Manifest;
  readonly parent: string | undefined;
  readonly children = new Set<string>();
  readonly watchers = new Set<string>();
  readonly chain: EventChain;
  readonly tracker: RestartTracker;
  status: ActorStatus = 'starting';
  restarts = 0;
  failures = 0;
  calls = 0;
  lastError: { reason: string; message: string } | undefined;

  private readonly spec: ActorSpec;
  private readonly exportSet: Set<string>;
  private currentState: JsonValue;
  private worker: ActorWorker | undefined;
  private readonly mailbox: Queued[] = [];
  private busy = false;
  private running: string | undefined;
  private exitReason: string | undefined;
  /** Bumped whenever the instance is replaced or stopped, so late answers from an old one are ignored. */
  private generation = 0;

  constructor(
    spec: ActorSpec,
    private readonly hooks: ActorHooks,
  ) {
    this.spec = spec;
    this.id = spec.id;
    this.caller = spec.caller;
    this.manifest = spec.manifest;
    this.parent = spec.parent;
    this.chain = spec.chain;
    this.tracker = spec.tracker;
    this.exportSet = new Set(spec.exports);
    this.currentState = spec.initialState;
  }

  /** The handler exports, in module order. */
  get exports(): readonly string[] {
    return this.spec.exports;
  }

  /** The state after the last successful call. */
  get state(): JsonValue {
    return this.currentState;
  }

  /** Calls waiting in the mailbox. */
  get queued(): number {
    return this.mailbox.length;
  }

  /** Starts the first instance: records `actor.start`, instantiates, runs `init`. Throws if any step fails. */
  async start(): Promise<void> {
    this.chain.append('actor.start', {
      actorId: this.id,
      name: this.manifest.name,
      module: this.spec.moduleHash,
      state: this.spec.initialState,
      callTimeoutMs: this.manifest.limits.callTimeoutMs,
    });
    await this.boot();
    this.kick();
  }

  /**
   * Replaces the instance with a fresh one on the initial state (a call in flight is interrupted),
   * records `actor.restart`, runs `init`. Throws if the new instance fails to start.
   */
  async restart(reason: string): Promise<void> {
    if (this.status === 'stopped') throw new ActorStoppedError(this.id, 'restart');
    this.status = 'restarting';
    await this.endInstance();
    this.restarts++;
    this.chain.append('actor.restart', { state: this.spec.initialState, reason });
    await this.boot();
    this.kick();
  }

  /** Queues a call to export `name`; resolves with its result. */
  call(name: string, params: JsonValue): Promise<JsonValue | undefined> {
    if (this.status === 'stopped' || this.status === 'failed') {
      return Promise.reject(new ActorStoppedError(this.id, `call ${name}`));
    }
    if (!this.exportSet.has(name)) {
      return Promise.reject(new ActorCallError('not_found', `actor ${this.id} (${this.manifest.name}) has no export ${name}`));
    }
    if (this.mailbox.length >= this.manifest.limits.mailbox) {
      return Promise.reject(new MailboxFullError(this.id, this.manifest.limits.mailbox));
    }
    return new Promise((resolve, reject) => {
      this.mailbox.push({ name, params, resolve, reject });
      this.kick();
    });
  }

  /** True when the module has this export. */
  hasExport(name: string): boolean {
    return this.exportSet.has(name);
  }

  /** True while an export of this actor is running. */
  get isBusy(): boolean {
    return this.running !== undefined;
  }

  /** Asks for a normal exit once the running call returns (the `runtime.shutdown` host call). */
  requestExit(reason: string): void {
    this.exitReason = reason;
  }

  /** Ends the current instance after a failure with no restart; a supervisor may still restart it. */
  async markFailed(): Promise<void> {
    this.status = 'failed';
    await this.endInstance();
    this.rejectQueued(() => new ActorStoppedError(this.id, 'serve queued call: it failed'));
  }

  /** Stops for good: interrupts a running call, rejects queued ones, records `actor.stop`, closes the chain. */
  async stop(reason: string): Promise<void> {
    if (this.status === 'stopped') return;
    this.status = 'stopped';
    await this.endInstance();
    this.rejectQueued(() => new ActorStoppedError(this.id, 'serve queued call'));
    this.chain.append('actor.stop', { reason });
    await this.chain.close();
  }

  private async boot(): Promise<void> {
    const generation = ++this.generation;
    this.currentState = this.spec.initialState;
    const worker = await ActorWorker.start(this.spec.module, {
      name: `actor-${this.manifest.name}-${this.id}`,
      sharedBytes: this.spec.sharedBytes,
      onHostCall: (iface, fn, input) => this.hostCall(generation, iface, fn, input),
      onIdleCrash: (message) => {
        if (generation !== this.generation) return;
        void this.hooks.onFailure(this, new ActorCrashError(this.id, message));
      },
    });
    // A stop (or dispose) while the worker was starting ended this instance before it had a worker to
    // terminate: the new worker is this boot's to end, and the actor must stay stopped.
    if (generation !== this.generation) {
      await worker.terminate('the instance ended while it was starting');
      throw new ActorStoppedError(this.id, 'start: it was stopped while starting');
    }
    this.worker = worker;
    if (this.exportSet.has(INIT_EXPORT)) {
      const outcome = await this.execute(INIT_EXPORT, this.spec.initParams);
      if (!outcome.ok) throw outcome.error;
    }
    if (generation !== this.generation) throw new ActorStoppedError(this.id, 'start: it was stopped while starting');
    this.status = 'running';
  }

  private async endInstance(): Promise<void> {
    this.generation++;
    // An exit request belongs to the instance that made it: a call that asked to exit and then failed
    // must not make the next instance exit after its first call.
    this.exitReason = undefined;
    const worker = this.worker;
    this.worker = undefined;
    if (this.running !== undefined) {
      const name = this.running;
      this.running = undefined;
      this.chain.append('export.error', { export: name, reason: 'interrupted', message: `actor ${this.id} instance ended during ${name}` });
    }
    await worker?.terminate();
    // After the worker is gone, so the old instance cannot take anything new while it is released.
    await this.hooks.onInstanceEnd(this);
  }

  private rejectQueued(makeError: () => Error): void {
    for (const item of this.mailbox.splice(0)) item.reject(makeError());
  }

  private kick(): void {
    if (!this.busy && this.status === 'running' && this.mailbox.length > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.status === 'running' && this.mailbox.length > 0) {
        const item = this.mailbox.shift()!;
        const outcome = await this.execute(item.name, item.params);
        if (outcome.ok) item.resolve(outcome.result);
        else item.reject(outcome.error);
        if (!outcome.ok && outcome.fatal) {
          await this.hooks.onFailure(this, outcome.error);
        } else if (this.exitReason !== undefined && this.status === 'running') {
          const reason = this.exitReason;
          this.exitReason = undefined;
          await this.hooks.onExit(this, reason);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Runs one export on the current instance and records it in the chain. */
  private async execute(name: string, params: JsonValue): Promise<Outcome> {
    const worker = this.worker;
    const generation = this.generation;
    if (!worker) return { ok: false, error: new ActorStoppedError(this.id, `call ${name}`), fatal: false };
    this.calls++;
    this.running = name;
    this.chain.append('export.call', { export: name, params });
    const timeoutMs = this.manifest.limits.callTimeoutMs;
    const outcome = await worker.call(name, JSON.stringify(this.currentState), JSON.stringify(params), timeoutMs);
    if (generation !== this.generation) {
      // The instance was replaced or stopped while this call ran; endInstance already recorded it.
      return { ok: false, error: new ActorStoppedError(this.id, `finish ${name}: the instance ended`), fatal: false };
    }
    this.running = undefined;
    return this.record(name, outcome);
  }

  private record(name: string, outcome: CallOutcome): Outcome {
    const interpreted = interpretCall(this.id, name, outcome);
    this.chain.append(interpreted.event.type, interpreted.event.data);
    const result = interpreted.outcome;
    if (result.ok) {
      this.currentState = result.state;
      return { ok: true, result: result.result };
    }
    if (result.fatal) {
      this.failures++;
      this.lastError = { reason: result.error.reason, message: result.error.message };
    }
    return result;
  }

  private async hostCall(generation: number, iface: string, fn: string, inputText: string): Promise<string> {
    // Never act (tcp.listen, spawn, set-interval, …) on behalf of an instance that has already ended.
    if (generation !== this.generation) {
      return JSON.stringify(replyError(new ActorStoppedError(this.id, `run host call ${iface}.${fn}: its instance ended`)));
    }
    let input: JsonValue = inputText;
    let reply: HostReply;
    try {
      input = JSON.parse(inputText) as JsonValue;
      reply = await this.hooks.hostCall(this, iface, fn, input).catch((error: unknown) => replyError(error));
    } catch {
      // Only JSON.parse can throw here: the hook's rejection is turned into a reply above.
      reply = { ok: false, error: { code: 'invalid_request', message: `host call ${iface}.${fn}: input is not JSON` } };
    }
    // Record only while the same instance is still alive, so no host event lands after the instance ended.
    if (generation === this.generation) {
      this.chain.append('host.call', { interface: iface, function: fn, input, output: reply as unknown as JsonObject });
    }
    return JSON.stringify(reply);
  }
}
