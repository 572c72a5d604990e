import type { ClientBase } from '../../channels/net/client-base.js';
import { createHubClient } from '../../channels/net/hub-client.js';
import { TransportError } from '../../channels/link/transport-error.js';
import { CommandRegistry } from '../../registry/command-registry.js';
import { CliError } from '../cli-error.js';
import { CLI_IDENTITY_PREFIX } from '../../hub/topology-tracker.js';
import type { HubAddress } from './hub-url.js';

/** A CLI's link to a hub: a child registry whose router is the hub. */
export interface HubSession {
  readonly registry: CommandRegistry;
  readonly url: string;
  /** Closes the link and the registry. */
  close(): Promise<void>;
}

/** Options of `connectToHub`. */
export interface ConnectOptions {
  address: HubAddress;
  secret: string;
  /** Default `cli-<pid>`, which the hub shows as a command-line peer rather than a node. */
  identity?: string;
  /** Time allowed to connect and authenticate, in ms. */
  timeoutMs: number;
}

/** The identity a CLI process authenticates as by default. */
export function defaultCliIdentity(): string {
  return `${CLI_IDENTITY_PREFIX}${process.pid}`;
}

/**
 * Connects to a hub once (no reconnecting: a command-line call either reaches the hub or says why not)
 * and links a child registry to it, so `executeCommand` escalates to the hub and events arrive.
 */
export async function connectToHub(options: ConnectOptions): Promise<HubSession> {
  const identity = options.identity ?? defaultCliIdentity();
  const common = {
    id: 'hub',
    auth: { identity, secret: options.secret },
    reconnect: false as const,
    handshakeTimeoutMs: options.timeoutMs,
    connectTimeoutMs: options.timeoutMs,
  };
  const { address } = options;
  let client: ClientBase;
  try {
    client = createHubClient(address, common);
  } catch (error) {
    throw new CliError('usage', `cannot connect as identity "${identity}": ${(error as Error).message}`);
  }
  const registry = new CommandRegistry({ id: identity, routerChannel: 'hub', requestTTL: options.timeoutMs });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError('hub_unreachable', `cannot reach hub at ${address.url}: no answer within ${options.timeoutMs} ms`, 'is `cmd-ipc serve` running there, and is the address right?')),
      options.timeoutMs,
    );
  });
  try {
    await Promise.race([client.attach(registry), deadline]);
  } catch (error) {
    await client.close().catch(() => {});
    await registry.dispose();
    throw error instanceof CliError ? error : explainConnectFailure(address.url, identity, error);
  } finally {
    clearTimeout(timer);
  }
  return {
    registry,
    url: address.url,
    close: async () => {
      await client.close().catch(() => {});
      await registry.dispose();
    },
  };
}

/** Turns a transport failure into a message a person can act on. */
export function explainConnectFailure(url: string, identity: string, error: unknown): CliError {
  const hint = 'is `cmd-ipc serve` running there?';
  if (!(error instanceof TransportError)) return new CliError('hub_unreachable', `cannot reach hub at ${url}: ${(error as Error)?.message ?? String(error)}`, hint);
  switch (error.code) {
    case 'auth_failed':
      return new CliError(
        'hub_unreachable',
        `the hub at ${url} refused identity "${identity}": ${error.message}`,
        'use the same secret as the hub ($CMD_IPC_SECRET, $CMD_IPC_SECRET_FILE or --secret-file)',
      );
    case 'handshake_failed':
    case 'handshake_timeout':
      return new CliError('hub_unreachable', `${url} did not complete the cmd-ipc handshake: ${error.message}`, 'is that address a cmd-ipc hub (`cmd-ipc serve`)?');
    case 'connect_failed':
      return new CliError('hub_unreachable', `cannot reach hub at ${url}: ${describeCause(error)}`, hint);
    default:
      return new CliError('hub_unreachable', `lost the hub at ${url} while connecting: ${error.message}`, hint);
  }
}

function describeCause(error: TransportError): string {
  const cause = error.cause as (Error & { code?: string }) | undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ECONNRESET':
      return 'connection reset';
  }
  if (cause?.message?.startsWith('Unexpected server response')) return `something answered but it is not a cmd-ipc hub (${cause.message})`;
  return cause?.message ?? error.message;
}
