import { replayChain, type ReplayResult } from '../replay/replay.js';
import type { ActorRuntime } from '../runtime/actor-runtime.js';
import { ModuleCache } from '../runtime/module-cache.js';

/** Replays a runtime actor's stored chain against the module its manifest names. */
export async function replayActor(runtime: ActorRuntime, actorId: string): Promise<ReplayResult> {
  const actor = runtime.require(actorId);
  await actor.chain.flush();
  const events = await runtime.chain(actorId);
  const { module, hash } = await new ModuleCache().load(actor.manifest.packagePath);
  return replayChain(events, { module, moduleHash: hash });
}
