import { z } from 'zod';
import { CloseReasonSchema } from './callbacks.js';
import { ConnectionIdSchema, ListenerIdSchema, SocketAddressSchema } from './common.js';

/** Event `tcp.connection.opened`: ids, owner and addresses, never data. */
export const ConnectionOpenedEventSchema = z.object({
  connectionId: ConnectionIdSchema,
  owner: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  listenerId: ListenerIdSchema.optional(),
  local: SocketAddressSchema,
  remote: SocketAddressSchema,
  tls: z.boolean(),
});

/** Event `tcp.connection.closed`: ids, owner, addresses and byte counts, never data. */
export const ConnectionClosedEventSchema = z.object({
  connectionId: ConnectionIdSchema,
  owner: z.string(),
  reason: CloseReasonSchema,
  local: SocketAddressSchema,
  remote: SocketAddressSchema,
  bytesIn: z.number().int(),
  bytesOut: z.number().int(),
});

/** Event `tcp.connection.transferred`: a connection changed owner. */
export const ConnectionTransferredEventSchema = z.object({
  connectionId: ConnectionIdSchema,
  from: z.string(),
  to: z.string(),
});

/** The events the handler emits. */
export const TCP_EVENTS = {
  'tcp.connection.opened': ConnectionOpenedEventSchema,
  'tcp.connection.closed': ConnectionClosedEventSchema,
  'tcp.connection.transferred': ConnectionTransferredEventSchema,
} as const;

export type ConnectionOpenedEvent = z.infer<typeof ConnectionOpenedEventSchema>;
export type ConnectionClosedEvent = z.infer<typeof ConnectionClosedEventSchema>;
export type ConnectionTransferredEvent = z.infer<typeof ConnectionTransferredEventSchema>;
