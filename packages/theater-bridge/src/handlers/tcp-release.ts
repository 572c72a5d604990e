import { grants } from '../manifest/manifest.js';
import type { ActorRuntime } from '../runtime/actor-runtime.js';
import { commandFor, INTERFACES } from './interfaces.js';

/** How long the runtime waits for the tcp-handler to release an ended instance's sockets. */
export const RELEASE_TIMEOUT_MS = 5_000;

/**
 * When an instance of a tcp-granted actor ends (stop, failure, restart), closes every listener and
 * connection it owned through `tcp.release`, executed as the actor, wherever the tcp-handler lives.
 * Awaited before a restart, so a new instance can listen on the port its predecessor held.
 */
export function releaseTcpOnInstanceEnd(runtime: ActorRuntime): () => void {
  return runtime.onInstanceEnd(async (actor) => {
    if (!grants(actor.manifest, 'tcp')) return;
    try {
      await runtime.registry.executeCommand(commandFor(INTERFACES.tcp, 'release'), {}, { caller: actor.caller, timeoutMs: RELEASE_TIMEOUT_MS });
    } catch (error) {
      runtime.logger.warn(`theater: tcp.release for actor ${actor.id} failed`, { error: error instanceof Error ? error.message : String(error) });
    }
  });
}
