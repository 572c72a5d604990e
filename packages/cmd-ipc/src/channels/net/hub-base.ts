import { EventEmitter } from 'node:events';
import type { Logger } from '../../registry/types.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, acceptHandshake } from '../auth/handshake.js';
import { type HubAuthOptions, validateHubAuth } from '../auth/credentials.js';
import type { Link } from '../link/link.js';
import { LinkChannel } from '../link/link-channel.js';
import { silentLogger } from '../../registry/logger.js';
import { TransportError } from '../link/transport-error.js';
import type { HeartbeatOptions } from './heartbeat.js';
import type { RegistryLike } from './registry-like.js';

/** Options every hub (WebSocket, TCP, NATS) shares. */
export interface HubOptions {
  /** How peers authenticate (required: no protocol message flows before a peer has). */
  auth: HubAuthOptions;
  /** Keep-alive settings for every accepted channel; `false` turns them off. */
  heartbeat?: HeartbeatOptions | false;
  /** Time a peer has to finish the handshake, in ms. Default 10000. */
  handshakeTimeoutMs?: number;
  /** Whether this hub speaks the protocol extensions (`meta`). Default true. */
  extensions?: boolean;
  /**
   * When a peer authenticates as an identity that already has a channel, close the old one
   * (reason `replaced`) so a reconnecting peer is not shadowed by its own half-open connection.
   * Default true.
   */
  replaceSameIdentity?: boolean;
  /** Where refusals and close reasons are logged. */
  logger?: Logger;
}

/**
 * What every hub does once a transport has a link to a new peer: authenticate it, wrap it in a
 * channel with an id unique to this hub (`<transport>:<identity>#<n>`), and hand the channel out.
 */
export abstract class HubBase {
  protected readonly logger: Logger;
  private readonly options: HubOptions;
  private readonly emitter = new EventEmitter();
  private readonly handshaking = new Set<Link>();
  private readonly live = new Set<LinkChannel>();
  private readonly byIdentity = new Map<string, LinkChannel>();
  private sequence = 0;
  private closing = false;

  protected constructor(
    private readonly transport: string,
    options: HubOptions,
  ) {
    validateHubAuth(options.auth);
    this.options = options;
    this.logger = options.logger ?? silentLogger;
  }

  on(event: 'channel', listener: (channel: LinkChannel) => void): this;
  on(event: 'rejected', listener: (reason: TransportError, peer: string) => void): this;
  /** Listens for each authenticated peer's channel, or for each refused peer. */
  on(event: 'channel' | 'rejected', listener: (...args: never[]) => void): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off(event: 'channel', listener: (channel: LinkChannel) => void): this;
  off(event: 'rejected', listener: (reason: TransportError, peer: string) => void): this;
  /** Removes a listener added with `on`. */
  off(event: 'channel' | 'rejected', listener: (...args: never[]) => void): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Registers every new peer's channel with `registry`; returns a function that stops doing so. */
  attach(registry: RegistryLike): () => void {
    const listener = (channel: LinkChannel): void => {
      registry.registerChannel(channel).catch((error: unknown) => {
        this.logger.warn(`${this.transport} hub: could not register channel ${channel.id}: ${(error as Error)?.message ?? String(error)}`);
        void channel.close();
      });
    };
    this.on('channel', listener);
    return () => this.off('channel', listener);
  }

  /** The channels of the peers connected now. */
  get channels(): readonly LinkChannel[] {
    return [...this.live];
  }

  /** Authenticates a new link, then emits its channel; a refused link is closed with the reason. */
  protected accept(link: Link): void {
    if (this.closing) {
      void link.close(new TransportError('connection_lost', `the ${this.transport} hub is closing`));
      return;
    }
    this.handshaking.add(link);
    acceptHandshake(link, this.options.auth, {
      extensions: this.options.extensions ?? true,
      timeoutMs: this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    }).then(
      (peer) => {
        this.handshaking.delete(link);
        if (this.closing) {
          void link.close(new TransportError('connection_lost', `the ${this.transport} hub is closing`));
          return;
        }
        if (this.options.replaceSameIdentity ?? true) {
          const previous = this.byIdentity.get(peer.identity);
          if (previous !== undefined) {
            this.logger.info(`${this.transport} hub: ${peer.identity} connected again; closing its older channel ${previous.id}`);
            void previous.close(new TransportError('replaced', `a newer connection authenticated as "${peer.identity}" replaced this one`));
          }
        }
        this.sequence += 1;
        const channel = new LinkChannel(link, {
          id: `${this.transport}:${peer.identity}#${this.sequence}`,
          identity: peer.identity,
          ...(peer.permissions === undefined ? {} : { permissions: peer.permissions }),
          extensions: peer.extensions,
          ...(this.options.heartbeat === undefined ? {} : { heartbeat: this.options.heartbeat }),
          logger: this.logger,
        });
        this.track(channel, peer.identity);
        this.logger.info(`${this.transport} hub: ${link.description} authenticated as ${peer.identity} (channel ${channel.id})`);
        this.emitSafely('channel', channel);
      },
      (reason: TransportError) => {
        this.handshaking.delete(link);
        this.logger.warn(`${this.transport} hub refused ${link.description}: ${reason.message}`, { code: reason.code });
        this.emitSafely('rejected', reason, link.description);
      },
    );
  }

  /** Closes every peer's channel and every handshake in progress; no new peer is accepted after. */
  protected async closeAllLinks(): Promise<void> {
    this.closing = true;
    const closing: Promise<void>[] = [];
    for (const link of this.handshaking) closing.push(link.close(new TransportError('connection_lost', `the ${this.transport} hub is closing`)));
    for (const channel of this.live) closing.push(channel.close());
    await Promise.all(closing);
  }

  private track(channel: LinkChannel, identity: string): void {
    this.live.add(channel);
    this.byIdentity.set(identity, channel);
    channel.on('close', () => {
      this.live.delete(channel);
      if (this.byIdentity.get(identity) === channel) this.byIdentity.delete(identity);
    });
  }

  private emitSafely(event: string, ...args: unknown[]): void {
    try {
      this.emitter.emit(event, ...args);
    } catch (error) {
      this.logger.error(`${this.transport} hub: a '${event}' listener threw`, { error: (error as Error)?.message });
    }
  }
}
