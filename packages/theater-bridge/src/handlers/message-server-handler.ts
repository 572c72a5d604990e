import { z } from 'zod';
import { NotPermittedError } from '../errors/theater-errors.js';
import type { ActorRuntime } from '../runtime/actor-runtime.js';
import { actorCommandPrefix } from '../runtime/actor-runtime.js';
import { commandFor, INTERFACES } from './interfaces.js';

const spec = INTERFACES['message-server'];

/** The export a `send` is delivered to. */
export const HANDLE_SEND = 'handle-send';
/** The export a `request` is delivered to. */
export const HANDLE_REQUEST = 'handle-request';

const ActorIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'an actor id holds letters, digits, _ and -');

const SendSchema = z.object({ to: ActorIdSchema, data: z.json().optional() });
const RequestSchema = z.object({
  to: ActorIdSchema,
  data: z.json().optional(),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
});

/**
 * Registers `theater:simple/message-server-host`: send and request between actors. Both are plain
 * command calls to the target's `actor.<id>.handle-send` / `handle-request`, so the target may live
 * in any process of the mesh.
 */
export async function registerMessageServerHandler(runtime: ActorRuntime): Promise<void> {
  const { registry } = runtime;
  await registry.registerCommand(
    commandFor(spec, 'send'),
    (request, context) => {
      const actor = runtime.callerActor(context, spec.handler);
      const { to, data } = request as z.output<typeof SendSchema>;
      const command = `${actorCommandPrefix(to)}.${HANDLE_SEND}`;
      // Fire and forget: the sender does not wait for the target to run.
      registry
        .executeCommand(command, { from: actor.id, data: data ?? null }, { caller: actor.caller })
        .catch((error: unknown) => runtime.logger.warn(`theater: send from ${actor.id} to ${to} failed`, { error: String(error) }));
      return {};
    },
    { description: 'theater:simple/message-server-host.send: deliver data to another actor without waiting', schema: { request: SendSchema } },
  );
  await registry.registerCommand(
    commandFor(spec, 'request'),
    async (request, context) => {
      const actor = runtime.callerActor(context, spec.handler);
      const { to, data, timeoutMs } = request as z.output<typeof RequestSchema>;
      // The caller is blocked inside its own export, so a request to itself could never be served.
      if (to === actor.id) throw new NotPermittedError(`actor ${actor.id} cannot request itself: it is busy running this call`);
      const command = `${actorCommandPrefix(to)}.${HANDLE_REQUEST}`;
      return registry.executeCommand(
        command,
        { from: actor.id, data: data ?? null },
        { caller: actor.caller, timeoutMs: timeoutMs ?? actor.manifest.limits.callTimeoutMs },
      );
    },
    { description: "theater:simple/message-server-host.request: call another actor's handle-request and return its result", schema: { request: RequestSchema } },
  );
}
