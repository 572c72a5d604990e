import { z } from 'zod';
import type { ActorRuntime } from '../runtime/actor-runtime.js';
import { actorCommandPrefix } from '../runtime/actor-runtime.js';
import { commandFor, INTERFACES } from './interfaces.js';

const spec = INTERFACES.runtime;

const LogSchema = z.object({
  message: z.string().max(64 * 1024),
  level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
});
const SelfSchema = z.object({}).optional();
const ShutdownSchema = z.object({ reason: z.string().max(1000).optional() }).optional();

/** Registers `theater:simple/runtime`: log, self, shutdown. */
export async function registerRuntimeHandler(runtime: ActorRuntime): Promise<void> {
  const { registry } = runtime;
  await registry.registerCommand(
    commandFor(spec, 'log'),
    (request, context) => {
      const actor = runtime.callerActor(context, spec.handler);
      const { message, level } = request as z.output<typeof LogSchema>;
      runtime.logger[level ?? 'info'](`actor ${actor.id} (${actor.manifest.name}): ${message}`, { actorId: actor.id });
      return {};
    },
    { description: 'theater:simple/runtime.log: write a line to the runtime log', schema: { request: LogSchema } },
  );
  await registry.registerCommand(
    commandFor(spec, 'self'),
    (_request, context) => {
      const actor = runtime.callerActor(context, spec.handler);
      return {
        actorId: actor.id,
        name: actor.manifest.name,
        caller: actor.caller,
        commandPrefix: actorCommandPrefix(actor.id),
        ...(actor.parent !== undefined ? { parent: actor.parent } : {}),
      };
    },
    { description: 'theater:simple/runtime.self: who the calling actor is', schema: { request: SelfSchema } },
  );
  await registry.registerCommand(
    commandFor(spec, 'shutdown'),
    (request, context) => {
      const actor = runtime.callerActor(context, spec.handler);
      actor.requestExit((request as z.output<typeof ShutdownSchema>)?.reason ?? 'shutdown');
      return {};
    },
    {
      description: 'theater:simple/runtime.shutdown: stop the calling actor once its current call returns (a normal exit)',
      schema: { request: ShutdownSchema },
    },
  );
}
