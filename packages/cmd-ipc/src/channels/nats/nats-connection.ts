import { type ConnectionOptions, type NatsConnection, connect } from 'nats';
import { TransportError } from '../link/transport-error.js';
import { assertSubjectPart } from './nats-subjects.js';

/** Where a NATS hub or client gets its NATS connection, and its subject layout. */
export interface NatsConnectionOptions {
  /** An open connection to use (not closed by this package). */
  connection?: NatsConnection;
  /** Servers to connect to when no `connection` is given, e.g. `nats://10.0.0.5:4222` or a cluster list. */
  servers?: string | string[];
  /** Further options for `connect` (user/pass, token, nkeys, TLS, reconnect settings…). */
  natsOptions?: Omit<ConnectionOptions, 'servers'>;
  /** First subject tokens. Default `cmd-ipc`. */
  subjectPrefix?: string;
  /** The hub's name; hub and clients must agree. Default `hub`. */
  hubName?: string;
  /**
   * Largest message accepted, in bytes. Default: the NATS server's `max_payload` (1 MiB unless the
   * server is configured otherwise); outgoing messages are held to the smaller of the two.
   */
  maxMessageBytes?: number;
}

/** The resolved subject layout. */
export interface NatsNaming {
  prefix: string;
  hub: string;
}

/** Validates and fills in the subject layout. */
export function naming(options: NatsConnectionOptions): NatsNaming {
  const prefix = options.subjectPrefix ?? 'cmd-ipc';
  const hub = options.hubName ?? 'hub';
  assertSubjectPart('subjectPrefix', prefix);
  assertSubjectPart('hubName', hub);
  return { prefix, hub };
}

/** Holds a NATS connection: the given one, or one opened (and later closed) here. */
export class NatsConnectionHolder {
  private opened: Promise<NatsConnection> | undefined;

  constructor(
    private readonly options: NatsConnectionOptions,
    private readonly clientName: string,
  ) {
    if (options.connection === undefined && options.servers === undefined) {
      throw new RangeError('NATS transport needs `connection` or `servers`');
    }
  }

  /** The connection, opening it on first use. */
  get(): Promise<NatsConnection> {
    if (this.options.connection !== undefined) return Promise.resolve(this.options.connection);
    this.opened ??= connect({ name: this.clientName, maxReconnectAttempts: -1, ...this.options.natsOptions, servers: this.options.servers }).catch(
      (error: unknown) => {
        this.opened = undefined;
        throw new TransportError('connect_failed', `could not connect to NATS ${String(this.options.servers)}: ${(error as Error).message}`, { cause: error });
      },
    );
    return this.opened;
  }

  /** The largest message to accept on `connection`. */
  maxBytes(connection: NatsConnection): number {
    return this.options.maxMessageBytes ?? connection.info?.max_payload ?? 1024 * 1024;
  }

  /** Flushes and closes the connection when it was opened here. */
  async release(): Promise<void> {
    if (this.opened === undefined) return;
    const connection = await this.opened.catch(() => undefined);
    this.opened = undefined;
    if (connection !== undefined && !connection.isClosed()) await connection.drain().catch(() => connection.close());
  }
}
