import type { Msg, NatsConnection, Subscription } from 'nats';
import { HubBase, type HubOptions } from '../net/hub-base.js';
import { NatsConnectionHolder, type NatsConnectionOptions, type NatsNaming, naming } from './nats-connection.js';
import { NatsLink, decodeJson, encodeJson } from './nats-link.js';
import { helloSubject, isSessionId, sessionSubjects } from './nats-subjects.js';

/** Options of a NATS hub. */
export interface NatsHubOptions extends HubOptions, NatsConnectionOptions {}

/**
 * A hub reached through NATS: it answers hellos on `<prefix>.<hubName>.hello` and opens one session
 * (a subject pair) per client. Each client authenticates, then becomes a channel
 * (`on('channel')` or `attach(registry)`). Registries on many machines meet through one NATS
 * server or cluster this way.
 */
export class NatsHub extends HubBase {
  private readonly holder: NatsConnectionHolder;
  private readonly names: NatsNaming;
  private readonly natsOptions: NatsHubOptions;
  private hello: Subscription | undefined;
  private readonly sessions = new Set<string>();

  constructor(options: NatsHubOptions) {
    super('nats', options);
    this.natsOptions = options;
    this.names = naming(options);
    this.holder = new NatsConnectionHolder(options, `cmd-ipc hub ${this.names.hub}`);
  }

  /** Connects (when given `servers`) and starts answering hellos. */
  async start(): Promise<void> {
    const connection = await this.holder.get();
    const subject = helloSubject(this.names.prefix, this.names.hub);
    this.hello = connection.subscribe(subject, { callback: (error, message) => (error === null ? this.onHello(connection, message) : undefined) });
    // Make sure the server has the subscription before anyone is told the hub is up.
    await connection.flush();
    this.logger.info(`nats hub: listening on ${subject}`);
  }

  /** Says goodbye to every session, stops answering hellos, and closes a connection it opened. */
  async close(): Promise<void> {
    await this.closeAllLinks();
    if (this.hello !== undefined && !this.hello.isClosed()) this.hello.unsubscribe();
    const connection = this.natsOptions.connection;
    if (connection !== undefined && !connection.isClosed()) await connection.flush().catch(() => undefined);
    await this.holder.release();
  }

  private onHello(connection: NatsConnection, message: Msg): void {
    let session: unknown;
    try {
      session = (decodeJson(message.data) as { session?: unknown } | null)?.session;
    } catch {
      session = undefined;
    }
    if (!isSessionId(session) || this.sessions.has(session)) {
      this.logger.warn('nats hub: ignored a hello without a fresh, well-formed session id');
      if (message.reply !== undefined) message.respond(encodeJson({ $: 'refused', reason: 'a hello needs a fresh session id of 16-64 characters' }));
      return;
    }
    const subjects = sessionSubjects(this.names.prefix, this.names.hub, session);
    const link = new NatsLink(connection, subjects.down, subjects.up, `nats session ${session}`, this.holder.maxBytes(connection));
    this.sessions.add(session);
    void link.closed.then(() => this.sessions.delete(session));
    if (message.reply !== undefined) message.respond(encodeJson({ $: 'welcome' }));
    this.accept(link);
  }
}
