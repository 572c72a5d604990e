import { EventEmitter } from 'node:events';
import type { Logger } from '../../registry/types.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, offerHandshake } from '../auth/handshake.js';
import { type PeerCredentials, validateCredentials } from '../auth/credentials.js';
import type { Link } from '../link/link.js';
import { LinkChannel } from '../link/link-channel.js';
import { silentLogger } from '../../registry/logger.js';
import { TransportError } from '../link/transport-error.js';
import { Backoff, type ReconnectOptions } from './backoff.js';
import type { HeartbeatOptions } from './heartbeat.js';
import type { RegistryLike } from './registry-like.js';

/** Options every client (WebSocket, TCP, NATS) shares. */
export interface ClientOptions {
  /**
   * The id of the channel each connection gets. It stays the same across reconnects, so a child
   * registry's `routerChannel` keeps naming it. Default `hub`.
   */
  id?: string;
  /** The identity to claim and its secret. */
  auth: PeerCredentials;
  /** Backoff between attempts; `false` connects once and never again. */
  reconnect?: ReconnectOptions | false;
  /** Keep-alive settings; `false` turns them off. */
  heartbeat?: HeartbeatOptions | false;
  /** Time the hub has to finish the handshake, in ms. Default 10000. */
  handshakeTimeoutMs?: number;
  /** Whether this side speaks the protocol extensions (`meta`). Default true. */
  extensions?: boolean;
  /** Where connection failures and close reasons are logged. */
  logger?: Logger;
}

/**
 * A client that keeps one authenticated link to a hub and rebuilds it when it drops.
 *
 * Each connection is a fresh `LinkChannel` with the same id, emitted as `channel`. When a link drops,
 * its channel closes (so the registry drops the hub's commands and fails every pending call with
 * `channel_disconnected` at once, and a child's calls to its router fail fast during the outage);
 * once a new link is up, the new channel is registered again and both sides re-advertise their
 * commands through the registry's ordinary `list.commands` exchange.
 */
export abstract class ClientBase {
  readonly channelId: string;
  protected readonly logger: Logger;
  private readonly options: ClientOptions;
  private readonly emitter = new EventEmitter();
  private readonly backoff: Backoff | undefined;
  private current: LinkChannel | undefined;
  private running: Promise<void> | undefined;
  private first: Promise<LinkChannel> | undefined;
  private settleFirst: { resolve: (channel: LinkChannel) => void; reject: (error: TransportError) => void } | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  /** The link being dialed or authenticated, so `close()` can cut a handshake short. */
  private connecting: Link | undefined;
  private wake: (() => void) | undefined;

  protected constructor(
    private readonly transport: string,
    options: ClientOptions,
  ) {
    validateCredentials(options.auth);
    this.options = options;
    this.channelId = options.id ?? 'hub';
    this.logger = options.logger ?? silentLogger;
    this.backoff = options.reconnect === false ? undefined : new Backoff(options.reconnect ?? {});
  }

  /** Opens a transport connection to the hub; the handshake runs on the returned link. */
  protected abstract dial(signal: AbortSignal): Promise<Link>;

  /** Releases transport resources after the client stopped (e.g. a NATS connection it owns). */
  protected async release(): Promise<void> {}

  on(event: 'channel', listener: (channel: LinkChannel) => void): this;
  on(event: 'disconnected', listener: (reason: TransportError | undefined) => void): this;
  on(event: 'connect_failed', listener: (reason: TransportError, attempt: number) => void): this;
  on(event: 'failed', listener: (reason: TransportError) => void): this;
  /**
   * `channel`: a new authenticated connection; `disconnected`: it dropped (a reconnect follows unless
   * stopped); `connect_failed`: one attempt failed (another follows); `failed`: the client gave up.
   */
  on(event: 'channel' | 'disconnected' | 'connect_failed' | 'failed', listener: (...args: never[]) => void): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off(event: 'channel' | 'disconnected' | 'connect_failed' | 'failed', listener: (...args: never[]) => void): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** The channel of the current connection, when connected. */
  get channel(): LinkChannel | undefined {
    return this.current !== undefined && !this.current.isClosed ? this.current : undefined;
  }

  /**
   * Starts connecting (and reconnecting). Resolves with the first connection's channel; rejects when
   * the first connection cannot be made and will not be retried (an auth failure, attempts used up,
   * or `close()` first).
   */
  start(): Promise<LinkChannel> {
    if (this.first === undefined && this.stopped) {
      return Promise.reject(new TransportError('connection_lost', `the ${this.transport} client was closed`));
    }
    if (this.first === undefined) {
      this.first = new Promise<LinkChannel>((resolve, reject) => {
        this.settleFirst = { resolve, reject };
      });
      this.running = this.run();
    }
    return this.first;
  }

  /**
   * Registers every connection's channel with `registry` (each reconnect registers a fresh one) and
   * starts the client. Resolves once the first channel is registered.
   */
  async attach(registry: RegistryLike): Promise<LinkChannel> {
    let firstRegistration: Promise<void> | undefined;
    this.on('channel', (channel) => {
      const registration = registry.registerChannel(channel);
      firstRegistration ??= registration;
      registration.catch((error: unknown) => {
        this.logger.warn(`${this.transport} client: could not register channel ${channel.id}: ${(error as Error)?.message ?? String(error)}`);
        void channel.close();
      });
    });
    const channel = await this.start();
    await firstRegistration;
    return channel;
  }

  /** Stops reconnecting and closes the current connection. */
  async close(): Promise<void> {
    if (this.stopped) return this.running;
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    void this.connecting?.close();
    this.settleFirst?.reject(new TransportError('connection_lost', `the ${this.transport} client was closed before it connected`));
    await this.current?.close();
    await this.running;
    await this.release();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let link: Link | undefined;
      let extensions: boolean;
      try {
        link = await this.dial(this.abort.signal);
        this.connecting = link;
        if (this.stopped) throw new TransportError('connection_lost', `the ${this.transport} client was closed`);
        const accepted = await offerHandshake(link, this.options.auth, {
          extensions: this.options.extensions ?? true,
          timeoutMs: this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        });
        extensions = accepted.extensions;
      } catch (error) {
        this.connecting = undefined;
        void link?.close();
        if (this.stopped) break;
        const reason = error instanceof TransportError ? error : new TransportError('connect_failed', String((error as Error)?.message ?? error));
        if (reason.code === 'auth_failed' || this.backoff === undefined || !this.backoff.canRetry) {
          this.giveUp(reason);
          break;
        }
        const delay = this.backoff.next();
        this.logger.debug(`${this.transport} client: attempt ${this.backoff.attempts} failed (${reason.message}); retrying in ${delay} ms`);
        this.emitSafely('connect_failed', reason, this.backoff.attempts);
        await this.sleep(delay);
        continue;
      }
      this.connecting = undefined;
      if (this.stopped) {
        await link.close();
        break;
      }
      this.backoff?.reset();
      const channel = new LinkChannel(link, {
        id: this.channelId,
        extensions,
        ...(this.options.heartbeat === undefined ? {} : { heartbeat: this.options.heartbeat }),
        logger: this.logger,
      });
      this.current = channel;
      this.logger.info(`${this.transport} client: connected to ${link.description} (channel ${channel.id})`);
      this.emitSafely('channel', channel);
      this.settleFirst?.resolve(channel);
      this.settleFirst = undefined;

      const reason = await link.closed;
      if (this.stopped) break;
      this.emitSafely('disconnected', reason);
      if (reason?.code === 'replaced') {
        // Another process holds this identity now; reconnecting would only push it off in turn.
        this.giveUp(reason);
        break;
      }
      if (this.backoff === undefined) {
        this.stopped = true;
        break;
      }
      await this.sleep(this.backoff.next());
    }
  }

  private giveUp(reason: TransportError): void {
    this.stopped = true;
    this.logger.error(`${this.transport} client gave up: ${reason.message}`, { code: reason.code });
    this.settleFirst?.reject(reason);
    this.settleFirst = undefined;
    this.emitSafely('failed', reason);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private emitSafely(event: string, ...args: unknown[]): void {
    try {
      this.emitter.emit(event, ...args);
    } catch (error) {
      this.logger.error(`${this.transport} client: a '${event}' listener threw`, { error: (error as Error)?.message });
    }
  }
}
