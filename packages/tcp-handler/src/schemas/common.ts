import { z } from 'zod';

/** An opaque connection id handed out by the handler. */
export const ConnectionIdSchema = z.string().min(1).max(200);

/** An opaque listener id handed out by the handler. */
export const ListenerIdSchema = z.string().min(1).max(200);

/** A command prefix under which an owner registered its callbacks (e.g. `node-a.echo`). */
export const CallbackPrefixSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:/-]+$/, 'a callback prefix may only hold letters, digits and _ . : / -');

/** A host name or IP address. */
export const HostSchema = z.string().min(1).max(253);

/** A TCP port; 0 asks the system for a free one when listening. */
export const PortSchema = z.number().int().min(0).max(65535);

/** Bytes as base64 text (PROTOCOL: bytes travel base64-encoded in JSON). */
export const Base64Schema = z.base64();

/** Erlang's `{active, false | true | once}`. */
export const DataModeSchema = z.enum(['passive', 'active', 'once']);

/** One end of a connection. */
export const SocketAddressSchema = z.object({
  address: z.string(),
  port: z.number().int(),
  family: z.string(),
});

/** TLS settings of a server end (a TLS listener or `upgrade-to-tls-server`). */
export const TlsServerOptionsSchema = z.object({
  /** PEM certificate chain. */
  cert: z.string().min(1),
  /** PEM private key. */
  key: z.string().min(1),
  /** PEM CA bundle used to verify client certificates when `requestCert` is set. */
  ca: z.string().min(1).optional(),
  /** Ask the client for a certificate and refuse the handshake without a valid one. */
  requestCert: z.boolean().optional(),
  /** Bound on the handshake, in ms. */
  handshakeTimeoutMs: z.number().int().min(1).max(120_000).optional(),
});

/** TLS settings of a client end (`tcp.connect` with `tls`, or `upgrade-to-tls-client`). */
export const TlsClientOptionsSchema = z.object({
  /** PEM CA bundle; when absent the system roots are used. */
  ca: z.string().min(1).optional(),
  /** SNI and certificate name to check; defaults to the host the connection was made to. */
  servername: z.string().min(1).max(253).optional(),
  /** PEM client certificate and key, for servers that ask for one. */
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  /** Development only: accept any server certificate. Refused unless the handler allows it. */
  insecureSkipVerify: z.boolean().optional(),
  /** Bound on the handshake, in ms. */
  handshakeTimeoutMs: z.number().int().min(1).max(120_000).optional(),
});

/** What a TLS handshake settled on. */
export const TlsInfoSchema = z.object({
  protocol: z.string(),
  cipher: z.string(),
  /** True when the peer's certificate was verified (always true for a verified client end). */
  authorized: z.boolean(),
  /** The peer certificate's subject CN, when it sent one. */
  peerCommonName: z.string().optional(),
});

export type ConnectionId = z.infer<typeof ConnectionIdSchema>;
export type ListenerId = z.infer<typeof ListenerIdSchema>;
export type DataMode = z.infer<typeof DataModeSchema>;
export type SocketAddress = z.infer<typeof SocketAddressSchema>;
export type TlsServerOptions = z.infer<typeof TlsServerOptionsSchema>;
export type TlsClientOptions = z.infer<typeof TlsClientOptionsSchema>;
export type TlsInfo = z.infer<typeof TlsInfoSchema>;
