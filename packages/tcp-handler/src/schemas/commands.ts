import { z } from 'zod';
import {
  Base64Schema,
  CallbackPrefixSchema,
  ConnectionIdSchema,
  DataModeSchema,
  HostSchema,
  ListenerIdSchema,
  PortSchema,
  SocketAddressSchema,
  TlsClientOptionsSchema,
  TlsInfoSchema,
  TlsServerOptionsSchema,
} from './common.js';

// The mode rule shared by connect, activate and transfer: when `mode` is left out it is `active`
// if a callback prefix is known for the connection, else `passive` (nothing to push to).

export const ConnectRequestSchema = z.object({
  host: HostSchema,
  port: PortSchema.min(1),
  /** Prefix of the caller's callbacks (`<prefix>.on-data`, `<prefix>.on-close`). */
  prefix: CallbackPrefixSchema.optional(),
  mode: DataModeSchema.optional(),
  /** Make a TLS connection from the start. */
  tls: TlsClientOptionsSchema.optional(),
  /** Bound on establishing the connection (and the TLS handshake), in ms. */
  timeoutMs: z.number().int().min(1).max(120_000).optional(),
});
export const ConnectResponseSchema = z.object({
  connectionId: ConnectionIdSchema,
  mode: DataModeSchema,
  local: SocketAddressSchema,
  remote: SocketAddressSchema,
  tls: TlsInfoSchema.optional(),
});

export const ListenRequestSchema = z.object({
  host: HostSchema,
  /** 0 picks a free port; the response tells which. */
  port: PortSchema,
  /** Prefix of the caller's callbacks; each accepted connection goes to `<prefix>.handle-connection`. */
  prefix: CallbackPrefixSchema.optional(),
  /** Keep accepted connections for `tcp.accept` instead of calling `handle-connection`. */
  manualAccept: z.boolean().optional(),
  /** Accept TLS connections with this certificate. */
  tls: TlsServerOptionsSchema.optional(),
  backlog: z.number().int().min(1).max(4096).optional(),
});
export const ListenResponseSchema = z.object({
  listenerId: ListenerIdSchema,
  host: z.string(),
  port: z.number().int(),
});

export const AcceptRequestSchema = z.object({
  listenerId: ListenerIdSchema,
  /** How long to wait for a connection, in ms (default 10 s). */
  timeoutMs: z.number().int().min(0).max(300_000).optional(),
});
export const AcceptResponseSchema = z.object({
  connectionId: ConnectionIdSchema,
  local: SocketAddressSchema,
  remote: SocketAddressSchema,
  tls: TlsInfoSchema.optional(),
});

export const ActivateRequestSchema = z.object({
  connectionId: ConnectionIdSchema,
  mode: DataModeSchema.optional(),
  prefix: CallbackPrefixSchema.optional(),
});
export const ActivateResponseSchema = z.object({
  connectionId: ConnectionIdSchema,
  mode: DataModeSchema,
});

export const SetActiveRequestSchema = z.object({
  connectionId: ConnectionIdSchema,
  mode: DataModeSchema,
  prefix: CallbackPrefixSchema.optional(),
});
export const SetActiveResponseSchema = ActivateResponseSchema;

export const TransferRequestSchema = z.object({
  connectionId: ConnectionIdSchema,
  /** The new owner's caller path (PROTOCOL.md `caller`). */
  to: z.string().min(1).max(500),
  /** Prefix of the new owner's callbacks; `<prefix>.handle-connection-transfer` is called first. */
  prefix: CallbackPrefixSchema,
  mode: DataModeSchema.optional(),
});
export const TransferResponseSchema = z.object({
  connectionId: ConnectionIdSchema,
  owner: z.string(),
  mode: DataModeSchema,
});

export const PeerAddressRequestSchema = z.object({ connectionId: ConnectionIdSchema });
export const PeerAddressResponseSchema = z.object({
  connectionId: ConnectionIdSchema,
  local: SocketAddressSchema,
  remote: SocketAddressSchema,
  state: z.enum(['pending', 'open']),
  mode: DataModeSchema,
  tls: z.boolean(),
});

export const SendRequestSchema = z.object({
  connectionId: ConnectionIdSchema,
  data: Base64Schema,
});
export const SendResponseSchema = z.object({ bytes: z.number().int() });

export const ReceiveRequestSchema = z.object({
  connectionId: ConnectionIdSchema,
  /** At most this many bytes (default and ceiling: the handler's `maxReceiveBytes`). */
  maxBytes: z.number().int().min(1).optional(),
  /** Give up waiting after this many ms (`timeout`); without it the caller's own deadline bounds the wait. */
  timeoutMs: z.number().int().min(0).max(300_000).optional(),
});
export const ReceiveResponseSchema = z.object({
  /** Base64 bytes; empty together with `closed: true` when the peer closed. */
  data: Base64Schema,
  closed: z.boolean(),
});

export const CloseRequestSchema = z.object({ connectionId: ConnectionIdSchema });
export const CloseResponseSchema = z.object({ connectionId: ConnectionIdSchema, closed: z.literal(true) });

export const CloseListenerRequestSchema = z.object({ listenerId: ListenerIdSchema });
export const CloseListenerResponseSchema = z.object({ listenerId: ListenerIdSchema, closed: z.literal(true) });

export const UpgradeToTlsServerRequestSchema = TlsServerOptionsSchema.extend({ connectionId: ConnectionIdSchema });
export const UpgradeToTlsClientRequestSchema = TlsClientOptionsSchema.extend({ connectionId: ConnectionIdSchema });
export const UpgradeToTlsResponseSchema = z.object({ connectionId: ConnectionIdSchema, tls: TlsInfoSchema });

export const ReleaseRequestSchema = z.object({});
export const ReleaseResponseSchema = z.object({
  /** Connections and listeners closed. */
  closed: z.number().int(),
});

/** Every `tcp.*` command: id → description and zod schemas. */
export const TCP_COMMANDS = {
  'tcp.connect': {
    description: 'Open an outbound TCP (or TLS) connection owned by the caller; it starts active.',
    request: ConnectRequestSchema,
    response: ConnectResponseSchema,
  },
  'tcp.listen': {
    description: 'Listen for TCP (or TLS) connections; each starts pending, owned by the caller.',
    request: ListenRequestSchema,
    response: ListenResponseSchema,
  },
  'tcp.accept': {
    description: 'Take the next connection a manual-accept listener holds (pending).',
    request: AcceptRequestSchema,
    response: AcceptResponseSchema,
  },
  'tcp.activate': {
    description: 'Let data move on a pending connection, in the given mode.',
    request: ActivateRequestSchema,
    response: ActivateResponseSchema,
  },
  'tcp.set-active': {
    description: 'Switch the data mode of an open connection: passive, active or once.',
    request: SetActiveRequestSchema,
    response: SetActiveResponseSchema,
  },
  'tcp.transfer': {
    description: 'Hand a connection to another caller, active for it in one step; no byte is lost.',
    request: TransferRequestSchema,
    response: TransferResponseSchema,
  },
  'tcp.peer-address': {
    description: 'Addresses, state and mode of a connection.',
    request: PeerAddressRequestSchema,
    response: PeerAddressResponseSchema,
  },
  'tcp.send': {
    description: 'Write base64 bytes to a connection; resolves once the bytes are handed to the system.',
    request: SendRequestSchema,
    response: SendResponseSchema,
  },
  'tcp.receive': {
    description: 'Read up to maxBytes from a passive connection; empty with closed=true when the peer closed.',
    request: ReceiveRequestSchema,
    response: ReceiveResponseSchema,
  },
  'tcp.close': {
    description: 'Close a connection (TLS: close_notify, then FIN).',
    request: CloseRequestSchema,
    response: CloseResponseSchema,
  },
  'tcp.close-listener': {
    description: 'Stop a listener; connections it already handed out stay open.',
    request: CloseListenerRequestSchema,
    response: CloseListenerResponseSchema,
  },
  'tcp.upgrade-to-tls-server': {
    description: 'STARTTLS, server side: run a TLS handshake as server on a live passive connection.',
    request: UpgradeToTlsServerRequestSchema,
    response: UpgradeToTlsResponseSchema,
  },
  'tcp.upgrade-to-tls-client': {
    description: 'STARTTLS, client side: run a TLS handshake as client on a live passive connection.',
    request: UpgradeToTlsClientRequestSchema,
    response: UpgradeToTlsResponseSchema,
  },
  'tcp.release': {
    description: 'Close everything the caller (and every caller beneath it, caller/…) owns: for an owner that stops.',
    request: ReleaseRequestSchema,
    response: ReleaseResponseSchema,
  },
} as const;

/** The id of a `tcp.*` command. */
export type TcpCommandId = keyof typeof TCP_COMMANDS;
/** The request type of a `tcp.*` command, as the caller writes it. */
export type TcpRequest<Id extends TcpCommandId> = z.input<(typeof TCP_COMMANDS)[Id]['request']>;
/** The response type of a `tcp.*` command. */
export type TcpResponse<Id extends TcpCommandId> = z.output<(typeof TCP_COMMANDS)[Id]['response']>;

export type ConnectRequest = z.infer<typeof ConnectRequestSchema>;
export type ConnectResponse = z.infer<typeof ConnectResponseSchema>;
export type ListenRequest = z.infer<typeof ListenRequestSchema>;
export type ListenResponse = z.infer<typeof ListenResponseSchema>;
export type AcceptRequest = z.infer<typeof AcceptRequestSchema>;
export type AcceptResponse = z.infer<typeof AcceptResponseSchema>;
export type ActivateRequest = z.infer<typeof ActivateRequestSchema>;
export type ActivateResponse = z.infer<typeof ActivateResponseSchema>;
export type SetActiveRequest = z.infer<typeof SetActiveRequestSchema>;
export type SetActiveResponse = z.infer<typeof SetActiveResponseSchema>;
export type TransferRequest = z.infer<typeof TransferRequestSchema>;
export type TransferResponse = z.infer<typeof TransferResponseSchema>;
export type PeerAddressRequest = z.infer<typeof PeerAddressRequestSchema>;
export type PeerAddressResponse = z.infer<typeof PeerAddressResponseSchema>;
export type SendRequest = z.infer<typeof SendRequestSchema>;
export type SendResponse = z.infer<typeof SendResponseSchema>;
export type ReceiveRequest = z.infer<typeof ReceiveRequestSchema>;
export type ReceiveResponse = z.infer<typeof ReceiveResponseSchema>;
export type CloseRequest = z.infer<typeof CloseRequestSchema>;
export type CloseResponse = z.infer<typeof CloseResponseSchema>;
export type CloseListenerRequest = z.infer<typeof CloseListenerRequestSchema>;
export type CloseListenerResponse = z.infer<typeof CloseListenerResponseSchema>;
export type UpgradeToTlsServerRequest = z.infer<typeof UpgradeToTlsServerRequestSchema>;
export type UpgradeToTlsClientRequest = z.infer<typeof UpgradeToTlsClientRequestSchema>;
export type UpgradeToTlsResponse = z.infer<typeof UpgradeToTlsResponseSchema>;
export type ReleaseRequest = z.infer<typeof ReleaseRequestSchema>;
export type ReleaseResponse = z.infer<typeof ReleaseResponseSchema>;
