import { TheaterBridge, type TheaterBridgeOptions } from './bridge/theater-bridge.js';
import { registerHostHandlers } from './handlers/register-host-handlers.js';
import type { ContentStore } from './handlers/store/content-store.js';
import { ActorRuntime, type ActorRuntimeOptions } from './runtime/actor-runtime.js';

/** Options for `createTheater`. */
export interface TheaterOptions extends ActorRuntimeOptions {
  /** Bridge options, or false to keep the management commands off the mesh. */
  bridge?: TheaterBridgeOptions | false;
}

/** A runtime with its host handlers registered and (by default) its bridge attached. */
export interface Theater {
  runtime: ActorRuntime;
  bridge: TheaterBridge | undefined;
  store: ContentStore;
  /** Stops every actor and detaches the bridge. */
  dispose(): Promise<void>;
}

/**
 * Builds a ready theater on a registry: the runtime, the private host-function commands its actors'
 * imports map to, and the bridge's `theater.*` management commands. One theater per registry.
 */
export async function createTheater(options: TheaterOptions): Promise<Theater> {
  const runtime = new ActorRuntime(options);
  const { store } = await registerHostHandlers(runtime);
  const bridge = options.bridge === false ? undefined : await TheaterBridge.attach(runtime, options.bridge ?? {});
  return {
    runtime,
    bridge,
    store,
    async dispose() {
      await runtime.dispose();
      bridge?.detach();
    },
  };
}
