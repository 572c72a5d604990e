import { messageSchemas } from '../../src/index.js';

export { CommandRegistry } from '../../src/index.js';

/** True when `message` validates against the strict zod schemas of PROTOCOL.md. */
export function strictMessageSchemaParse(message: unknown): boolean {
  return messageSchemas.strictMessageSchema.safeParse(message).success;
}
