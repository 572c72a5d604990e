export * from './channel.js';

export type { Link, LinkReceiver } from './link/link.js';
export { LinkChannel, type LinkChannelOptions } from './link/link-channel.js';
export { TransportError, type TransportErrorCode } from './link/transport-error.js';

export type { HubAuthOptions, IdentityEntry, PeerCredentials, Secret } from './auth/credentials.js';
export { DEFAULT_HANDSHAKE_TIMEOUT_MS } from './auth/handshake.js';

export { DEFAULT_HEARTBEAT, type HeartbeatOptions } from './net/heartbeat.js';
export type { ReconnectOptions } from './net/backoff.js';
export type { RegistryLike } from './net/registry-like.js';
export { HubBase, type HubOptions } from './net/hub-base.js';
export { ClientBase, type ClientOptions } from './net/client-base.js';
export { createHubClient, parseHubAddress, InvalidHubUrlError, type HubAddress, type HubClientOptions } from './net/hub-client.js';

export {
  WorkerChannel,
  ParentPortChannel,
  type WorkerChannelOptions,
  type ParentPortChannelOptions,
} from './worker/worker-channel.js';
export {
  ChildProcessChannel,
  ParentProcessChannel,
  type ChildProcessChannelOptions,
  type ParentProcessChannelOptions,
} from './process/process-channel.js';

export { DEFAULT_MAX_PAYLOAD } from './websocket/websocket-link.js';
export { WebSocketHub, type WebSocketHubOptions } from './websocket/websocket-hub.js';
export { WebSocketClient, type WebSocketClientOptions } from './websocket/websocket-client.js';

export { TcpHub, type TcpHubOptions } from './tcp/tcp-hub.js';
export { TcpClient, type TcpClientOptions } from './tcp/tcp-client.js';

export type { NatsConnectionOptions } from './nats/nats-connection.js';
export { NatsHub, type NatsHubOptions } from './nats/nats-hub.js';
export { NatsClient, type NatsClientOptions } from './nats/nats-client.js';
