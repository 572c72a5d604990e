import { randomBytes } from 'node:crypto';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { silentLogger, type CommandContext, type Logger } from 'cmd-ipc';
import { replyError, replyOk, type HostReply } from '../abi/host-reply.js';
import { FileSink, MemorySink } from '../chain/chain-sink.js';
import { EventChain } from '../chain/event-chain.js';
import type { ChainEvent } from '../chain/chain-event.js';
import { verifyLinesAgainst, type VerifyResult } from '../chain/verify.js';
import {
  ActorNotFoundError,
  ActorStoppedError,
  NotPermittedError,
  TheaterError,
  ActorCrashError,
} from '../errors/theater-errors.js';
import { commandFor, interfaceByName, type HandlerType } from '../handlers/interfaces.js';
import { toJsonValue, type JsonValue } from '../json/json-value.js';
import { checkImports, handlerExports } from '../manifest/capabilities.js';
import { grants, loadManifest, type Manifest } from '../manifest/manifest.js';
import { RestartPolicySchema, type RestartPolicy } from '../manifest/manifest-schema.js';
import { Actor, type ActorHooks, type ActorStatus } from './actor.js';
import { LifecycleListeners, type LifecycleEvent, type LifecycleListener } from './lifecycle.js';
import { ModuleCache } from './module-cache.js';
import type { RegistryPort } from 'cmd-ipc';
import { RestartTracker } from './restart-tracker.js';

/** Options for `new ActorRuntime()`. */
export interface ActorRuntimeOptions {
  registry: RegistryPort;
  /** Where chains (`chains/<actor id>.jsonl`) and the store live; without it both stay in memory. */
  dataDir?: string;
  logger?: Logger;
  /** Inline capacity of each worker's shared reply buffer, in bytes (default 64 KiB). */
  sharedBytes?: number;
  /** How many stopped actors are remembered for status and chain queries (default 1000). */
  keepStopped?: number;
}

/** How to spawn an actor. */
export interface SpawnOptions {
  /** A manifest file path or a parsed manifest. */
  manifest: string | Manifest;
  /** Replaces the manifest's initial state. */
  state?: JsonValue;
  /** Passed to the `init` export, when the module has one. */
  params?: JsonValue;
  /** Overrides the manifest's restart policy. */
  restart?: Partial<RestartPolicy>;
  /** The supervising actor (set by the supervisor handler). */
  parent?: string;
}

/** A snapshot of one actor. */
export interface ActorInfo {
  actorId: string;
  name: string;
  status: ActorStatus;
  caller: string;
  /** Commands are `<commandPrefix>.<export>`. */
  commandPrefix: string;
  exports: string[];
  parent?: string;
  children: string[];
  restartPolicy: RestartPolicy;
  restarts: number;
  failures: number;
  calls: number;
  queued: number;
  chainLength: number;
  chainHead: string | null;
  lastError?: { reason: string; message: string };
}

/** The command prefix of an actor's exports. */
export function actorCommandPrefix(actorId: string): string {
  return `actor.${actorId}`;
}

/**
 * Runs WebAssembly actors: spawns them from manifests (refusing ungranted imports), routes their host
 * calls to commands with the actor as caller, registers their exports as `actor.<id>.<export>`,
 * supervises them with restart policies, and keeps each one's event chain.
 */
export class ActorRuntime {
  readonly registry: RegistryPort;
  readonly logger: Logger;
  readonly dataDir: string | undefined;
  private readonly actors = new Map<string, Actor>();
  private readonly modules = new ModuleCache();
  private readonly lifecycle = new LifecycleListeners();
  private readonly transitions = new Map<string, Promise<void>>();
  private readonly spawning = new Set<Promise<void>>();
  private readonly instanceEndHooks = new Set<(actor: Actor) => void | Promise<void>>();
  private readonly hooks: ActorHooks;
  private readonly sharedBytes: number | undefined;
  private readonly keepStopped: number;
  private disposed = false;

  constructor(options: ActorRuntimeOptions) {
    this.registry = options.registry;
    this.logger = options.logger ?? silentLogger;
    this.dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
    this.sharedBytes = options.sharedBytes;
    this.keepStopped = options.keepStopped ?? 1000;
    this.hooks = {
      hostCall: (actor, iface, fn, input) => this.hostCall(actor, iface, fn, input),
      onFailure: (actor, error) => this.transition(actor, () => this.handleFailure(actor, error)),
      onExit: (actor, reason) => this.transition(actor, () => this.handleExit(actor, reason)),
      onInstanceEnd: async (actor) => {
        const results = await Promise.allSettled([...this.instanceEndHooks].map(async (hook) => hook(actor)));
        for (const result of results) if (result.status === 'rejected') this.logError(`instance-end hook of ${actor.id}`, result.reason);
      },
    };
  }

  /** The caller path an actor's host calls carry. */
  callerOf(actorId: string): string {
    return `${this.registry.id}/actor-${actorId}`;
  }

  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  onLifecycle(listener: LifecycleListener): () => void {
    return this.lifecycle.add(listener);
  }

  /** Runs `hook` whenever an actor instance ends (handlers release per-instance resources here; awaited before a restart). */
  onInstanceEnd(hook: (actor: Actor) => void | Promise<void>): () => void {
    this.instanceEndHooks.add(hook);
    return () => this.instanceEndHooks.delete(hook);
  }

  /** Spawns an actor; resolves once its `init` (if any) has returned. */
  spawn(options: SpawnOptions): Promise<ActorInfo> {
    // Tracked so dispose can wait for spawns in flight: one that outlives dispose would leave a worker running.
    const spawning = this.spawnNow(options);
    const settled = spawning.then(
      () => undefined,
      () => undefined,
    );
    this.spawning.add(settled);
    void settled.then(() => this.spawning.delete(settled));
    return spawning;
  }

  private async spawnNow(options: SpawnOptions): Promise<ActorInfo> {
    if (this.disposed) throw new ActorStoppedError('runtime', 'spawn: the runtime is disposed');
    const manifest = typeof options.manifest === 'string' ? await loadManifest(options.manifest) : options.manifest;
    const { module, hash } = await this.modules.load(manifest.packagePath);
    const exports = handlerExports(module, manifest.name);
    checkImports(module, manifest);
    const id = `${manifest.name}-${randomBytes(6).toString('hex')}`;
    const parent = options.parent === undefined ? undefined : this.require(options.parent);
    const policy = RestartPolicySchema.parse({ ...manifest.supervision, ...options.restart });
    const sink = this.dataDir ? await FileSink.open(join(this.dataDir, 'chains', `${id}.jsonl`)) : new MemorySink();
    // Checked again after the awaits: dispose may have run meanwhile and would never see this actor.
    if (this.disposed) {
      await sink.close();
      throw new ActorStoppedError('runtime', 'spawn: the runtime is disposed');
    }
    const actor = new Actor(
      {
        id,
        caller: this.callerOf(id),
        manifest,
        module,
        moduleHash: hash,
        exports,
        initialState: options.state ?? manifest.state,
        initParams: options.params ?? null,
        parent: parent?.id,
        tracker: new RestartTracker(policy),
        chain: new EventChain(sink),
        sharedBytes: this.sharedBytes,
      },
      this.hooks,
    );
    this.actors.set(id, actor);
    parent?.children.add(id);
    try {
      await this.registerExports(actor);
      await actor.start();
    } catch (error) {
      await this.unregisterExports(actor);
      await actor.stop(`spawn failed: ${(error as Error).message}`);
      parent?.children.delete(id);
      this.actors.delete(id);
      throw error;
    }
    this.emit({ type: 'started', actorId: id, name: manifest.name, ...(parent ? { parent: parent.id } : {}), restart: false });
    return this.info(actor);
  }

  /** Stops an actor (and, first, its children) for good. */
  async stop(actorId: string, reason = 'stopped'): Promise<void> {
    const actor = this.require(actorId);
    await this.transition(actor, () => this.stopNow(actor, reason));
  }

  private async stopNow(actor: Actor, reason: string): Promise<void> {
    const actorId = actor.id;
    if (actor.status === 'stopped') return;
    for (const child of [...actor.children]) {
      if (this.actors.get(child)?.status !== 'stopped') await this.stop(child, `parent ${actorId} stopped`);
    }
    await this.unregisterExports(actor);
    await actor.stop(reason);
    this.notifyWatchers(actor, 'handle-child-exit', { childId: actor.id, reason, restarting: false });
    this.emit({ type: 'stopped', actorId: actor.id, name: actor.manifest.name, reason, status: 'stopped' });
    this.pruneStopped();
  }

  /** Restarts an actor from its initial state (a supervisor's manual restart; also revives a failed one). */
  async restart(actorId: string, reason = 'restarted'): Promise<ActorInfo> {
    const actor = this.require(actorId);
    return this.transition(actor, () => this.restartNow(actor, reason));
  }

  private async restartNow(actor: Actor, reason: string): Promise<ActorInfo> {
    if (actor.status === 'stopped') throw new ActorStoppedError(actor.id, 'restart');
    const wasFailed = actor.status === 'failed';
    try {
      await actor.restart(reason);
    } catch (error) {
      await this.handleFailure(actor, asTheaterError(actor, error));
      return this.info(actor);
    }
    if (wasFailed) await this.registerExports(actor);
    this.emit({ type: 'started', actorId: actor.id, name: actor.manifest.name, ...(actor.parent ? { parent: actor.parent } : {}), restart: true });
    return this.info(actor);
  }

  /** Calls an actor's export directly (what its `actor.<id>.<export>` command does). */
  call(actorId: string, exportName: string, params: JsonValue = null): Promise<JsonValue | undefined> {
    return this.require(actorId).call(exportName, params);
  }

  /** The actor with this id, or undefined. */
  get(actorId: string): Actor | undefined {
    return this.actors.get(actorId);
  }

  /** The actor with this id; throws ActorNotFoundError. */
  require(actorId: string): Actor {
    const actor = this.actors.get(actorId);
    if (!actor) throw new ActorNotFoundError(actorId);
    return actor;
  }

  /** Snapshots of every known actor (stopped ones included, up to `keepStopped`). */
  list(): ActorInfo[] {
    return [...this.actors.values()].map((actor) => this.info(actor));
  }

  /** A snapshot of one actor. */
  info(actor: Actor | string): ActorInfo {
    const a = typeof actor === 'string' ? this.require(actor) : actor;
    const info: ActorInfo = {
      actorId: a.id,
      name: a.manifest.name,
      status: a.status,
      caller: a.caller,
      commandPrefix: actorCommandPrefix(a.id),
      exports: [...a.exports],
      children: [...a.children],
      restartPolicy: a.tracker.policy,
      restarts: a.restarts,
      failures: a.failures,
      calls: a.calls,
      queued: a.queued,
      chainLength: a.chain.length,
      chainHead: a.chain.head,
    };
    if (a.parent !== undefined) info.parent = a.parent;
    if (a.lastError !== undefined) info.lastError = a.lastError;
    return info;
  }

  /** The actor's chain, parsed. */
  chain(actorId: string): Promise<ChainEvent[]> {
    return this.require(actorId).chain.events();
  }

  /** The actor's chain exactly as stored (JSON lines). */
  chainLines(actorId: string): Promise<string[]> {
    return this.require(actorId).chain.lines();
  }

  /** Where an actor's chain file is (when the runtime has a data directory). */
  chainPath(actorId: string): string | undefined {
    return this.dataDir ? join(this.dataDir, 'chains', `${actorId}.jsonl`) : undefined;
  }

  /**
   * Verifies the actor's stored chain (see `verifyLines`) and checks that it ends where the runtime
   * knows it does, so a chain cut short or extended on disk is refused even though its links hold.
   */
  async verify(actorId: string): Promise<VerifyResult> {
    const chain = this.require(actorId).chain;
    // Taken before `lines()` queues its flush: every event up to this head is in what it reads.
    const before = { length: chain.length, head: chain.head };
    const lines = await chain.lines();
    return verifyLinesAgainst(lines, before, chain.length);
  }

  /** Resolves a manifest path an actor named, relative to its own manifest, within its grant. */
  resolveChildManifest(parent: Actor, path: string, allowed: string[] | undefined): string {
    const absolute = isAbsolute(path) ? path : resolve(parent.manifest.baseDir, path);
    if (allowed && !allowed.includes(absolute)) {
      throw new NotPermittedError(
        `actor ${parent.id} may not spawn ${relative(parent.manifest.baseDir, absolute) || absolute}: not in its supervisor grant`,
      );
    }
    return absolute;
  }

  /**
   * The actor a host command is serving. Host commands act on the calling actor, so they accept only
   * in-process calls whose caller is one of this runtime's actors and whose manifest grants `handler`.
   */
  callerActor(context: CommandContext, handler: HandlerType): Actor {
    if (context.channelId !== undefined) {
      throw new NotPermittedError(`${context.commandId} serves this runtime's actors only; it was called over channel ${context.channelId}`);
    }
    const prefix = `${this.registry.id}/actor-`;
    const actor = context.caller.startsWith(prefix) ? this.actors.get(context.caller.slice(prefix.length)) : undefined;
    if (!actor) throw new NotPermittedError(`${context.commandId} serves this runtime's actors only; caller ${context.caller} is not one`);
    if (!grants(actor.manifest, handler)) {
      throw new NotPermittedError(`actor ${actor.id} is not granted handler "${handler}" (needed by ${context.commandId})`);
    }
    return actor;
  }

  /** Stops every actor and releases the runtime. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const roots = [...this.actors.values()].filter((a) => a.status !== 'stopped' && (a.parent === undefined || !this.actors.has(a.parent)));
    await Promise.all(roots.map((a) => this.stop(a.id, 'runtime disposed').catch((error) => this.logError('stop on dispose', error))));
    // Anything left (children whose parent was already stopped).
    for (const actor of this.actors.values()) {
      if (actor.status !== 'stopped') await this.stop(actor.id, 'runtime disposed').catch((error) => this.logError('stop on dispose', error));
    }
    // A spawn that was booting when its actor was stopped ends its own worker; wait for that to happen.
    await Promise.all([...this.spawning]);
  }

  // ---------------------------------------------------------------------------------------------

  private async hostCall(actor: Actor, iface: string, fn: string, input: JsonValue): Promise<HostReply> {
    const spec = interfaceByName(iface);
    if (!spec) return replyError(new NotPermittedError(`interface ${iface} is not provided`));
    try {
      const result = await this.registry.executeCommand(commandFor(spec, fn), input, {
        caller: actor.caller,
        timeoutMs: actor.manifest.limits.callTimeoutMs,
      });
      return replyOk(result);
    } catch (error) {
      return replyError(error);
    }
  }

  /**
   * Runs one lifecycle transition of an actor (failure handling, exit handling, restart, stop) after
   * the previous one has finished, so a supervisor's restart can never interleave with the runtime
   * still tearing down the failed instance. Transitions call each other's unwrapped forms.
   */
  private transition<T>(actor: Actor, run: () => Promise<T>): Promise<T> {
    const previous = this.transitions.get(actor.id) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.transitions.set(actor.id, settled);
    void settled.then(() => {
      if (this.transitions.get(actor.id) === settled) this.transitions.delete(actor.id);
    });
    return next;
  }

  private async handleFailure(actor: Actor, error: TheaterError): Promise<void> {
    if (actor.status === 'stopped') return;
    const restarting = actor.tracker.allow('failure');
    this.emit({ type: 'failed', actorId: actor.id, name: actor.manifest.name, reason: error.reason, message: error.message, restarting });
    this.notifyWatchers(actor, 'handle-child-error', {
      childId: actor.id,
      error: { reason: error.reason, message: error.message },
      restarting,
    });
    if (restarting) {
      await this.restartAfter(actor, `failure: ${error.message}`);
      return;
    }
    await actor.markFailed();
    await this.unregisterExports(actor);
    this.emit({ type: 'stopped', actorId: actor.id, name: actor.manifest.name, reason: error.message, status: 'failed' });
  }

  private async handleExit(actor: Actor, reason: string): Promise<void> {
    const restarting = actor.tracker.allow('exit');
    this.notifyWatchers(actor, 'handle-child-exit', { childId: actor.id, reason, restarting });
    if (restarting) {
      await this.restartAfter(actor, `exit: ${reason}`);
      return;
    }
    for (const child of [...actor.children]) {
      if (this.actors.get(child)?.status !== 'stopped') await this.stop(child, `parent ${actor.id} exited`);
    }
    await this.unregisterExports(actor);
    await actor.stop(`exit: ${reason}`);
    this.emit({ type: 'stopped', actorId: actor.id, name: actor.manifest.name, reason: `exit: ${reason}`, status: 'stopped' });
  }

  private async restartAfter(actor: Actor, reason: string): Promise<void> {
    try {
      await actor.restart(reason);
    } catch (error) {
      // The fresh instance failed to start (or its init failed): that is one more failure.
      await this.handleFailure(actor, asTheaterError(actor, error));
      return;
    }
    this.emit({ type: 'started', actorId: actor.id, name: actor.manifest.name, ...(actor.parent ? { parent: actor.parent } : {}), restart: true });
  }

  /** Tells the parent and every watcher (that has the export) about a child's ending; never waits. */
  private notifyWatchers(actor: Actor, exportName: string, payload: JsonValue): void {
    const targets = new Set<string>(actor.watchers);
    if (actor.parent !== undefined) targets.add(actor.parent);
    for (const targetId of targets) {
      const target = this.actors.get(targetId);
      if (!target || target.status !== 'running' || !target.hasExport(exportName)) continue;
      target.call(exportName, payload).catch((error) => this.logError(`notify ${targetId} ${exportName}`, error));
    }
  }

  private async registerExports(actor: Actor): Promise<void> {
    const prefix = actorCommandPrefix(actor.id);
    await Promise.all(
      actor.exports.map((name) =>
        this.registry.registerCommand(
          `${prefix}.${name}`,
          (request) => actor.call(name, toJsonValue(request)),
          { description: `export ${name} of actor ${actor.id} (${actor.manifest.name})` },
        ),
      ),
    );
  }

  private async unregisterExports(actor: Actor): Promise<void> {
    const prefix = actorCommandPrefix(actor.id);
    for (const name of actor.exports) this.registry.unregisterCommand(`${prefix}.${name}`);
  }

  private emit(event: LifecycleEvent): void {
    this.lifecycle.emit(event, (error) => this.logError('lifecycle listener', error));
  }

  private pruneStopped(): void {
    const stopped = [...this.actors.values()].filter((a) => a.status === 'stopped');
    for (const actor of stopped.slice(0, Math.max(0, stopped.length - this.keepStopped))) {
      this.actors.delete(actor.id);
      if (actor.parent !== undefined) this.actors.get(actor.parent)?.children.delete(actor.id);
    }
  }

  private logError(what: string, error: unknown): void {
    this.logger.warn(`theater: ${what} failed`, { error: error instanceof Error ? error.message : String(error) });
  }
}

function asTheaterError(actor: Actor, error: unknown): TheaterError {
  if (error instanceof TheaterError) return error;
  return new ActorCrashError(actor.id, error instanceof Error ? error.message : String(error));
}
