import { z } from 'zod';

/** An actor id as the runtime makes them (`<name>-<12 hex>`), or any id of that alphabet. */
export const ActorIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'an actor id holds letters, digits, _ and -');

/** A request naming one actor. */
export const ActorRef = z.object({ actorId: ActorIdSchema });

/** A spawn request: from a client of the bridge (`theater.spawn`) or from a supervising actor. */
export const SpawnSchema = z.object({
  /** Path of a manifest file on the runtime's machine. */
  manifest: z.string().min(1).max(4096),
  state: z.json().optional(),
  params: z.json().optional(),
  restart: z
    .object({
      policy: z.enum(['never', 'on-failure', 'always']),
      maxRestarts: z.number().int().min(0).max(1000).optional(),
      periodMs: z.number().int().min(1).max(86_400_000).optional(),
    })
    .optional(),
});

/** Requests of the bridge's management commands, keyed by the command's suffix. */
export const BridgeRequestSchemas = {
  spawn: SpawnSchema,
  stop: ActorRef.extend({ reason: z.string().max(1000).optional() }),
  list: z.object({}).optional(),
  status: ActorRef,
  state: ActorRef,
  chain: ActorRef.extend({
    from: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  }),
  verify: ActorRef,
  replay: ActorRef,
  send: ActorRef.extend({ data: z.json().optional() }),
  request: ActorRef.extend({ data: z.json().optional(), timeoutMs: z.number().int().min(1).max(600_000).optional() }),
} as const;

/** The management command suffixes. */
export type BridgeCommand = keyof typeof BridgeRequestSchemas;
