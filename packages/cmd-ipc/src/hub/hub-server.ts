import { randomBytes } from 'node:crypto';
import { listenOn } from '../channels/net/listen.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CommandChannel } from '../channels/channel.js';
import type { HubAuthOptions, Secret } from '../channels/auth/credentials.js';
import type { HubBase } from '../channels/net/hub-base.js';
import type { LinkChannel } from '../channels/link/link-channel.js';
import { TcpHub } from '../channels/tcp/tcp-hub.js';
import { WebSocketHub } from '../channels/websocket/websocket-hub.js';
import { CommandRegistry } from '../registry/command-registry.js';
import { silentLogger } from '../registry/logger.js';
import type { Logger } from '../registry/types.js';
import { createLiveViewHandler } from '../live-view/http-handler.js';
import { VIEWER_IDENTITY, VIEWER_PERMISSIONS } from '../live-view/viewer-identity.js';
import { hubCommands } from './management-schemas.js';
import { registerManagementCommands, type HubRegistry } from './management-commands.js';
import { ReadOnlyChannel } from './read-only-channel.js';
import { TopologyTracker } from './topology-tracker.js';

/** Options of `startHub`. */
export interface HubServerOptions {
  /** The root registry's id. Default `hub`. */
  id?: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** WebSocket (and live page) port; 0 picks a free one; `false` serves no WebSocket. Default 0. */
  port?: number | false;
  /** TCP port for peers speaking length-prefixed frames; 0 picks a free one. Default: no TCP. */
  tcpPort?: number;
  /** The secret every peer shares. */
  secret: Secret;
  /** Serve the live page over HTTP next to the WebSocket. Default true. */
  liveView?: boolean;
  /** Where refusals and close reasons go. Default: silent. */
  logger?: Logger;
  /** Told when a peer joins or leaves (for a person watching `cmd-ipc serve`). */
  onPeer?: (change: PeerChange) => void;
}

/** A peer that joined or left. */
export interface PeerChange {
  kind: 'joined' | 'left';
  identity: string;
  channelId: string;
  transport: string;
  reason?: string;
}

/** Where a running hub can be reached. */
export interface HubUrls {
  ws?: string;
  tcp?: string;
  liveView?: string;
}

/** A hub that is listening. */
export interface RunningHub {
  readonly registry: HubRegistry;
  readonly tracker: TopologyTracker;
  readonly urls: HubUrls;
  /** Closes every peer, the listeners and the registry. */
  close(): Promise<void>;
}

/**
 * Starts a hub: a root registry with the management commands, a WebSocket server (sharing its HTTP
 * server with the live page) and, when asked, a TCP server. Every peer authenticates with the shared
 * secret; the live page authenticates as `live-view` with a secret made for this run, which only the
 * page is given and which can run the hub's read-only commands and nothing else.
 */
export async function startHub(options: HubServerOptions): Promise<RunningHub> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const liveView = options.liveView ?? true;
  const registry: HubRegistry = new CommandRegistry({ id: options.id ?? 'hub', schemas: { commands: hubCommands } });
  const urls: HubUrls = {};
  const tracker = new TopologyTracker(registry, () => ({ ...urls }) as Record<string, string>);
  registry.addEventListener('*', (payload, context) => tracker.eventSeen(context.eventId, context.channelId, payload));
  await registerManagementCommands(registry, tracker);

  const viewerSecret = randomBytes(24).toString('base64url');
  const auth: HubAuthOptions = { secret: options.secret };
  if (liveView && options.port !== false) auth.identities = { [VIEWER_IDENTITY]: { secret: viewerSecret, permissions: VIEWER_PERMISSIONS } };

  const hubs: HubBase[] = [];
  let http: Server | undefined;
  const closers: (() => Promise<void>)[] = [];
  try {
    if (options.port !== false) {
      const page = liveView ? createLiveViewHandler({ hubId: registry.id, identity: VIEWER_IDENTITY, secret: viewerSecret }, { host }) : undefined;
      http = createServer((request: IncomingMessage, response: ServerResponse) => {
        if (page?.(request, response)) return;
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`this is cmd-ipc hub ${registry.id}: connect a registry over WebSocket${liveView ? '; the live view is at /' : ''}\n`);
      });
      const ws = new WebSocketHub({ server: http, auth, logger });
      hubs.push(ws);
      // A shared server must already listen when the hub attaches to it.
      await listenOn(http, options.port ?? 0, host);
      await ws.listen();
      const server = http;
      closers.push(async () => {
        await ws.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
      const port = (http.address() as { port: number }).port;
      urls.ws = `ws://${hostForUrl(host)}:${port}`;
      if (liveView) urls.liveView = `http://${hostForUrl(host)}:${port}/`;
    }
    if (options.tcpPort !== undefined) {
      const tcp = new TcpHub({ port: options.tcpPort, host, auth, logger });
      hubs.push(tcp);
      const address = await tcp.listen();
      closers.push(() => tcp.close());
      urls.tcp = `tcp://${hostForUrl(host)}:${address.port}`;
    }
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    await registry.dispose();
    throw error;
  }

  for (const hub of hubs) {
    hub.on('channel', (channel) => adopt(channel));
  }

  function adopt(channel: LinkChannel): void {
    const identity = channel.identity ?? channel.id;
    const transport = channel.id.split(':')[0] ?? 'unknown';
    tracker.peerJoined(channel.id, identity, transport);
    // This listener is added before the registry's, so the channel's commands are still listed here.
    channel.on('close', (reason) => {
      const owned = registry.listChannels().find((info) => info.id === channel.id)?.commands ?? [];
      tracker.peerLeft(channel.id, reason?.message, owned);
      const change: PeerChange = { kind: 'left', identity, channelId: channel.id, transport };
      if (reason !== undefined) change.reason = reason.message;
      options.onPeer?.(change);
    });
    options.onPeer?.({ kind: 'joined', identity, channelId: channel.id, transport });
    const linked: CommandChannel = identity === VIEWER_IDENTITY ? new ReadOnlyChannel(channel) : channel;
    registry.registerChannel(linked).catch((error: unknown) => {
      logger.warn(`hub ${registry.id}: could not link channel ${channel.id}: ${(error as Error)?.message ?? String(error)}`);
      void channel.close();
    });
  }

  let closing: Promise<void> | undefined;
  return {
    registry,
    tracker,
    urls,
    close: () => {
      closing ??= (async () => {
        for (const close of closers) await close().catch((error: unknown) => logger.warn(`hub ${registry.id}: close failed: ${String(error)}`));
        await registry.dispose();
      })();
      return closing;
    },
  };
}

/** An IPv6 literal needs brackets in a URL. */
function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
