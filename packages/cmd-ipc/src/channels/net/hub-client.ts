import type { ClientOptions } from './client-base.js';
import { TcpClient } from '../tcp/tcp-client.js';
import { WebSocketClient } from '../websocket/websocket-client.js';

/** A hub address: a WebSocket URL (`ws://`, `wss://`) or a TCP one (`tcp://host:port`). */
export type HubAddress = { kind: 'ws'; url: string } | { kind: 'tcp'; url: string; host: string; port: number };

/** Raised by `parseHubAddress` for text that is not a hub URL; `hint` says what a valid one looks like. */
export class InvalidHubUrlError extends Error {
  readonly code = 'invalid_hub_url';

  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'InvalidHubUrlError';
  }
}

/** Parses `ws://…`, `wss://…` or `tcp://host:port` into a hub address; throws InvalidHubUrlError for anything else. */
export function parseHubAddress(text: string): HubAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidHubUrlError(`not a URL: ${text}`, 'give the hub address like ws://127.0.0.1:7800 or tcp://127.0.0.1:7801');
  }
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return { kind: 'ws', url: text };
  if (url.protocol === 'tcp:') {
    const port = Number(url.port);
    if (!url.hostname || !Number.isInteger(port) || port <= 0) {
      throw new InvalidHubUrlError(`a tcp:// hub URL needs a host and a port, got ${text}`, 'for example tcp://127.0.0.1:7801');
    }
    return { kind: 'tcp', url: text, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  }
  throw new InvalidHubUrlError(`unsupported hub URL scheme ${url.protocol} in ${text}`, 'use ws://, wss:// or tcp://');
}

/** Options of `createHubClient`: what every client takes, plus the connect timeout. */
export type HubClientOptions = ClientOptions & { connectTimeoutMs?: number };

/** Makes the client a hub address calls for: a WebSocketClient for ws(s)://, a TcpClient for tcp://. */
export function createHubClient(address: string | HubAddress, options: HubClientOptions): WebSocketClient | TcpClient {
  const hub = typeof address === 'string' ? parseHubAddress(address) : address;
  return hub.kind === 'ws' ? new WebSocketClient({ ...options, url: hub.url }) : new TcpClient({ ...options, host: hub.host, port: hub.port });
}
