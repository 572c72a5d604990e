import { z } from 'zod';
import { Base64Schema, ConnectionIdSchema, DataModeSchema, ListenerIdSchema, SocketAddressSchema, TlsInfoSchema } from './common.js';

/** Why a connection closed, as callbacks and events report it. */
export const CloseReasonSchema = z.enum([
  'closed_by_owner',
  'peer_closed',
  'error',
  'idle_timeout',
  'delivery_failed',
  'owner_gone',
  'handoff_refused',
  'tls_failed',
  'handler_disposed',
]);

/** `<prefix>.handle-connection`: a listener accepted a connection; it is pending until activated. */
export const HandleConnectionSchema = z.object({
  listenerId: ListenerIdSchema,
  connectionId: ConnectionIdSchema,
  local: SocketAddressSchema,
  remote: SocketAddressSchema,
  tls: TlsInfoSchema.optional(),
});

/** `<prefix>.handle-connection-transfer`: a connection was handed to the callee; data flows once this returns. */
export const HandleConnectionTransferSchema = z.object({
  connectionId: ConnectionIdSchema,
  /** The previous owner. */
  from: z.string(),
  mode: DataModeSchema,
  local: SocketAddressSchema,
  remote: SocketAddressSchema,
  tls: z.boolean(),
});

/** `<prefix>.on-data`: one chunk, in order; the next is sent only after this call returns. */
export const OnDataSchema = z.object({
  connectionId: ConnectionIdSchema,
  data: Base64Schema,
});

/** `<prefix>.on-close`: the connection closed for a reason other than the owner's own `tcp.close`. */
export const OnCloseSchema = z.object({
  connectionId: ConnectionIdSchema,
  reason: CloseReasonSchema,
  message: z.string().optional(),
});

/** The callback commands an owner registers under its prefix, with their request schemas. */
export const TCP_CALLBACKS = {
  'handle-connection': HandleConnectionSchema,
  'handle-connection-transfer': HandleConnectionTransferSchema,
  'on-data': OnDataSchema,
  'on-close': OnCloseSchema,
} as const;

export type CloseReason = z.infer<typeof CloseReasonSchema>;
export type HandleConnectionRequest = z.infer<typeof HandleConnectionSchema>;
export type HandleConnectionTransferRequest = z.infer<typeof HandleConnectionTransferSchema>;
export type OnDataRequest = z.infer<typeof OnDataSchema>;
export type OnCloseRequest = z.infer<typeof OnCloseSchema>;
