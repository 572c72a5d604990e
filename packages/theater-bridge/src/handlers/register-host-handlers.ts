import type { ActorRuntime } from '../runtime/actor-runtime.js';
import { registerMessageServerHandler } from './message-server-handler.js';
import { registerRuntimeHandler } from './runtime-handler.js';
import { registerStoreHandler } from './store/store-handler.js';
import type { ContentStore } from './store/content-store.js';
import { registerSupervisorHandler } from './supervisor-handler.js';
import { releaseTcpOnInstanceEnd } from './tcp-release.js';
import { registerTimerHandler } from './timer/timer-handler.js';

/**
 * Registers the private commands behind every theater interface (runtime, message-server,
 * supervisor, store, timer) on the runtime's registry. `tcp` imports go to the tcp-handler's `tcp.*`
 * commands wherever they live; here the runtime only releases an ended instance's sockets.
 */
export async function registerHostHandlers(runtime: ActorRuntime): Promise<{ store: ContentStore }> {
  await registerRuntimeHandler(runtime);
  await registerMessageServerHandler(runtime);
  await registerSupervisorHandler(runtime);
  const store = await registerStoreHandler(runtime);
  await registerTimerHandler(runtime);
  releaseTcpOnInstanceEnd(runtime);
  return { store };
}
