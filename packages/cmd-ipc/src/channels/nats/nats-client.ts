import { randomBytes } from 'node:crypto';
import type { Link } from '../link/link.js';
import { TransportError } from '../link/transport-error.js';
import { ClientBase, type ClientOptions } from '../net/client-base.js';
import { NatsConnectionHolder, type NatsConnectionOptions, type NatsNaming, naming } from './nats-connection.js';
import { NatsLink, decodeJson, encodeJson } from './nats-link.js';
import { sessionSubjects } from './nats-subjects.js';

/** Options of a NATS client. */
export interface NatsClientOptions extends ClientOptions, NatsConnectionOptions {
  /** Time the hub has to answer a hello, in ms. Default 5000. */
  connectTimeoutMs?: number;
}

/**
 * A NATS client channel source: opens a session with a `NatsHub` of the same prefix and hub name,
 * authenticates, and opens a fresh session with backoff when the hub stops answering
 * (see `ClientBase` for the reconnect design). The NATS connection itself reconnects on its own.
 */
export class NatsClient extends ClientBase {
  private readonly holder: NatsConnectionHolder;
  private readonly names: NatsNaming;
  private readonly natsOptions: NatsClientOptions;

  constructor(options: NatsClientOptions) {
    super('nats', options);
    this.natsOptions = options;
    this.names = naming(options);
    this.holder = new NatsConnectionHolder(options, `cmd-ipc client ${options.auth.identity}`);
  }

  protected async dial(): Promise<Link> {
    const connection = await this.holder.get();
    const session = randomBytes(16).toString('hex');
    const subjects = sessionSubjects(this.names.prefix, this.names.hub, session);
    // Subscribe to the session's down subject before the hello, so the hub's challenge cannot be missed.
    const link = new NatsLink(connection, subjects.up, subjects.down, `nats hub ${this.names.hub} (session ${session})`, this.holder.maxBytes(connection));
    try {
      const reply = await connection.request(subjects.hello, encodeJson({ $: 'hello', v: 1, session }), {
        timeout: this.natsOptions.connectTimeoutMs ?? 5000,
      });
      const answer = decodeJson(reply.data) as { $?: unknown; reason?: unknown } | null;
      if (answer?.$ !== 'welcome') throw new Error(`the hub refused the session: ${String(answer?.reason ?? 'no reason given')}`);
    } catch (error) {
      await link.close();
      const code = (error as { code?: unknown }).code;
      const why = code === '503' ? `no hub is listening on ${subjects.hello}` : (error as Error).message;
      throw new TransportError('connect_failed', `could not open a NATS session with hub ${this.names.hub}: ${why}`, { cause: error });
    }
    return link;
  }

  protected override async release(): Promise<void> {
    await this.holder.release();
  }
}
