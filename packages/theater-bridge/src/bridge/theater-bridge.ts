import { isAbsolute, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { NotPermittedError } from '../errors/theater-errors.js';
import { HANDLE_REQUEST, HANDLE_SEND } from '../handlers/message-server-handler.js';
import type { JsonValue } from '../json/json-value.js';
import type { ActorRuntime } from '../runtime/actor-runtime.js';
import { actorCommandPrefix } from '../runtime/actor-runtime.js';
import type { LifecycleEvent } from '../runtime/lifecycle.js';
import { BridgeRequestSchemas, type BridgeCommand } from './bridge-schemas.js';
import { replayActor } from './replay-actor.js';

/** Options for `TheaterBridge.attach`. */
export interface TheaterBridgeOptions {
  /**
   * Prefix of the management commands and lifecycle events (default `theater`: `theater.spawn`,
   * `theater.actor.started`, …). Several runtimes in one mesh need distinct prefixes, because a
   * command id can have only one owner.
   */
  prefix?: string;
  /** When set, `spawn` accepts only manifests inside one of these directories. */
  manifestRoots?: string[];
  /** Directory relative manifest paths in `spawn` resolve against (default: the working directory). */
  manifestBase?: string;
}

type Requests = { [K in BridgeCommand]: z.output<(typeof BridgeRequestSchemas)[K]> };

const DESCRIPTIONS: Record<BridgeCommand, string> = {
  spawn: 'spawn an actor from a manifest file; answers its status',
  stop: 'stop an actor (and its children) for good',
  list: 'every actor the runtime knows, with its status',
  status: "one actor's status",
  state: "one actor's current state",
  chain: "an actor's event chain (optionally a window of it)",
  verify: "recompute every hash and link of an actor's stored chain; names the first bad event",
  replay: "re-run an actor from its stored chain with recorded host outputs; names the first event that differs",
  send: "deliver data to an actor's handle-send export",
  request: "call an actor's handle-request export and answer its result",
};

/**
 * Puts an ActorRuntime on the mesh: registers its management commands (`<prefix>.spawn`, `.stop`,
 * `.list`, `.status`, `.state`, `.chain`, `.verify`, `.replay`, `.send`, `.request`) and turns its
 * lifecycle into events `<prefix>.actor.started` / `.stopped` / `.failed`.
 */
export class TheaterBridge {
  readonly prefix: string;
  private readonly registered: string[] = [];
  private unsubscribe: (() => void) | undefined;

  private constructor(
    private readonly runtime: ActorRuntime,
    private readonly options: TheaterBridgeOptions,
  ) {
    this.prefix = options.prefix ?? 'theater';
  }

  /** Registers the bridge's commands and starts emitting lifecycle events. */
  static async attach(runtime: ActorRuntime, options: TheaterBridgeOptions = {}): Promise<TheaterBridge> {
    const bridge = new TheaterBridge(runtime, options);
    await bridge.registerAll();
    bridge.unsubscribe = runtime.onLifecycle((event) => bridge.forward(event));
    return bridge;
  }

  /** Removes the bridge's commands and stops emitting events. */
  detach(): void {
    this.unsubscribe?.();
    for (const id of this.registered.splice(0)) this.runtime.registry.unregisterCommand(id);
  }

  private async registerAll(): Promise<void> {
    const rt = this.runtime;
    const handlers: { [K in BridgeCommand]: (request: Requests[K], caller: string) => unknown } = {
      spawn: (r) =>
        rt.spawn({
          manifest: this.manifestPath(r.manifest),
          ...(r.state !== undefined ? { state: r.state as JsonValue } : {}),
          ...(r.params !== undefined ? { params: r.params as JsonValue } : {}),
          ...(r.restart !== undefined ? { restart: r.restart } : {}),
        }),
      stop: async (r) => {
        await rt.stop(r.actorId, r.reason ?? 'stopped through the bridge');
        return rt.info(r.actorId);
      },
      list: () => ({ actors: rt.list() }),
      status: (r) => rt.info(r.actorId),
      state: (r) => ({ actorId: r.actorId, state: rt.require(r.actorId).state }),
      chain: async (r) => {
        const events = await rt.chain(r.actorId);
        const from = r.from ?? 0;
        const window = events.slice(from, r.limit === undefined ? undefined : from + r.limit);
        return { actorId: r.actorId, length: events.length, from, events: window };
      },
      verify: async (r) => ({ actorId: r.actorId, ...(await rt.verify(r.actorId)) }),
      replay: async (r) => ({ actorId: r.actorId, ...(await replayActor(rt, r.actorId)) }),
      // Through the registry, so the actor may live in any process of the mesh.
      send: async (r, caller) => {
        await rt.registry.executeCommand(`${actorCommandPrefix(r.actorId)}.${HANDLE_SEND}`, { from: caller, data: r.data ?? null }, { caller });
        return {};
      },
      request: async (r, caller) => {
        const result = await rt.registry.executeCommand(
          `${actorCommandPrefix(r.actorId)}.${HANDLE_REQUEST}`,
          { from: caller, data: r.data ?? null },
          { caller, ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}) },
        );
        return { actorId: r.actorId, result: result ?? null };
      },
    };
    for (const name of Object.keys(handlers) as BridgeCommand[]) {
      const id = `${this.prefix}.${name}`;
      const handler = handlers[name] as (request: unknown, caller: string) => unknown;
      await rt.registry.registerCommand(id, (request, context) => handler(request, context.caller), {
        description: DESCRIPTIONS[name],
        schema: { request: BridgeRequestSchemas[name] },
      });
      this.registered.push(id);
    }
  }

  /** Resolves a manifest path from the mesh and keeps it within `manifestRoots`. */
  private manifestPath(path: string): string {
    const absolute = isAbsolute(path) ? path : resolve(this.options.manifestBase ?? process.cwd(), path);
    const roots = this.options.manifestRoots;
    if (roots && !roots.some((root) => isInside(resolve(root), absolute))) {
      throw new NotPermittedError(`manifest ${absolute} is outside the allowed manifest roots`);
    }
    return absolute;
  }

  private forward(event: LifecycleEvent): void {
    const { type, ...payload } = event;
    this.runtime.registry.emitEvent(`${this.prefix}.actor.${type}`, payload);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
