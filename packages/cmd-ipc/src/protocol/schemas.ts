import { z } from 'zod';

/**
 * One zod schema per cmd-ipc v1 message type: the written-down contract of PROTOCOL.md.
 * `parseMessage` is a hand-written reader of exactly these shapes (it runs on every message, so it
 * avoids building intermediate objects); a property test keeps the two in agreement.
 * These schemas are strict: they accept only what a strict v1 peer sends (no `meta`, no extra keys).
 */
const id = z.string().min(1);
const jsonSchema = z.record(z.string(), z.unknown());

export const commandDefSchema = z.strictObject({
  id,
  description: z.string().optional(),
  schema: z.strictObject({ request: jsonSchema.optional(), response: jsonSchema.optional() }).optional(),
});

export const executeErrorCodeSchema = z.enum(['not_found', 'invalid_request', 'internal_error', 'timeout', 'channel_disconnected']);

export const registerCommandRequestSchema = z.strictObject({
  id,
  type: z.literal('register.command.request'),
  command: commandDefSchema,
});

export const registerCommandResponseSchema = z.strictObject({
  id,
  type: z.literal('register.command.response'),
  thid: id,
  response: z.union([z.strictObject({ ok: z.literal(true) }), z.strictObject({ ok: z.literal(false), error: z.literal('duplicate_command') })]),
});

export const listCommandsRequestSchema = z.strictObject({ id, type: z.literal('list.commands.request') });

export const listCommandsResponseSchema = z.strictObject({
  id,
  type: z.literal('list.commands.response'),
  thid: id,
  commands: z.array(commandDefSchema),
});

export const executeCommandRequestSchema = z.strictObject({
  id,
  type: z.literal('execute.command.request'),
  commandId: id,
  request: z.record(z.string(), z.unknown()).optional(),
});

export const executeCommandResponseSchema = z.strictObject({
  id,
  type: z.literal('execute.command.response'),
  thid: id,
  response: z.union([
    z.strictObject({ ok: z.literal(true), result: z.unknown().optional() }),
    z.strictObject({ ok: z.literal(false), error: z.strictObject({ code: executeErrorCodeSchema, message: z.string() }) }),
  ]),
});

export const eventMessageSchema = z.strictObject({
  id,
  type: z.literal('event'),
  eventId: id,
  payload: z.unknown().optional(),
});

/** Any strict cmd-ipc v1 message. */
export const strictMessageSchema = z.discriminatedUnion('type', [
  registerCommandRequestSchema,
  registerCommandResponseSchema,
  listCommandsRequestSchema,
  listCommandsResponseSchema,
  executeCommandRequestSchema,
  executeCommandResponseSchema,
  eventMessageSchema,
]);
