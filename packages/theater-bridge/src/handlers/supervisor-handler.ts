import { z } from 'zod';
import { NotPermittedError } from '../errors/theater-errors.js';
import type { JsonValue } from '../json/json-value.js';
import { grantOf, loadManifest } from '../manifest/manifest.js';
import { assertNoWidening } from '../manifest/narrowing.js';
import type { Actor } from '../runtime/actor.js';
import type { ActorRuntime } from '../runtime/actor-runtime.js';
import { ActorRef, SpawnSchema } from '../bridge/bridge-schemas.js';
import { commandFor, INTERFACES } from './interfaces.js';

const spec = INTERFACES.supervisor;

const EmptySchema = z.object({}).optional();

/** The child `actorId` of `parent`, or NotPermittedError. */
function ownChild(runtime: ActorRuntime, parent: Actor, actorId: string): Actor {
  const child = runtime.require(actorId);
  if (child.parent !== parent.id) throw new NotPermittedError(`actor ${actorId} is not a child of ${parent.id}`);
  return child;
}

/**
 * Registers `theater:simple/supervisor`: spawn, stop, restart, list, status, watch, unwatch.
 * A child may be granted no handler its parent lacks, so spawning never widens what an actor can do.
 */
export async function registerSupervisorHandler(runtime: ActorRuntime): Promise<void> {
  const { registry } = runtime;
  const register = (fn: string, description: string, schema: z.ZodType, handler: (parent: Actor, request: never) => unknown): Promise<void> =>
    registry.registerCommand(
      commandFor(spec, fn),
      (request, context) => handler(runtime.callerActor(context, spec.handler), request as never),
      { description: `theater:simple/supervisor.${fn}: ${description}`, schema: { request: schema } },
    );

  await register('spawn', 'spawn a child actor from a manifest', SpawnSchema, async (parent, request: z.output<typeof SpawnSchema>) => {
    const path = runtime.resolveChildManifest(parent, request.manifest, grantOf(parent.manifest, 'supervisor')?.manifests);
    const manifest = await loadManifest(path);
    assertNoWidening(parent.manifest, manifest, parent.id);
    const info = await runtime.spawn({
      manifest,
      parent: parent.id,
      ...(request.state !== undefined ? { state: request.state as JsonValue } : {}),
      ...(request.params !== undefined ? { params: request.params as JsonValue } : {}),
      ...(request.restart !== undefined ? { restart: request.restart } : {}),
    });
    return { actorId: info.actorId };
  });

  await register('stop', 'stop a child', ActorRef, async (parent, request: z.output<typeof ActorRef>) => {
    await runtime.stop(ownChild(runtime, parent, request.actorId).id, `stopped by supervisor ${parent.id}`);
    return {};
  });

  await register('restart', 'restart a child from its initial state', ActorRef, async (parent, request: z.output<typeof ActorRef>) => {
    const info = await runtime.restart(ownChild(runtime, parent, request.actorId).id, `restarted by supervisor ${parent.id}`);
    return { actorId: info.actorId, status: info.status };
  });

  await register('list', "list the caller's children", EmptySchema, (parent) => ({
    children: [...parent.children].map((id) => {
      const info = runtime.info(id);
      return { actorId: id, name: info.name, status: info.status, restarts: info.restarts, failures: info.failures };
    }),
  }));

  await register('status', 'status of a child or a watched actor', ActorRef, (parent, request: z.output<typeof ActorRef>) => {
    const target = runtime.require(request.actorId);
    if (target.parent !== parent.id && !target.watchers.has(parent.id)) {
      throw new NotPermittedError(`actor ${request.actorId} is neither a child of nor watched by ${parent.id}`);
    }
    return runtime.info(target);
  });

  await register('watch', "hear of an actor's exits and failures (handle-child-exit / handle-child-error)", ActorRef, (parent, request: z.output<typeof ActorRef>) => {
    runtime.require(request.actorId).watchers.add(parent.id);
    return {};
  });

  await register('unwatch', 'stop watching an actor', ActorRef, (parent, request: z.output<typeof ActorRef>) => {
    runtime.get(request.actorId)?.watchers.delete(parent.id);
    return {};
  });
}
