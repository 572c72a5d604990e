import { CliError } from '../cli-error.js';

/** The environment variable a default hub URL is read from. */
export const URL_ENV = 'CMD_IPC_URL';
/** The port `cmd-ipc serve` listens on (and clients dial) when none is given. */
export const DEFAULT_PORT = 7800;
/** The hub URL clients use when neither `--url` nor `$CMD_IPC_URL` is given. */
export const DEFAULT_URL = `ws://127.0.0.1:${DEFAULT_PORT}`;

/** A hub address the CLI can dial. */
export type HubAddress = { kind: 'ws'; url: string } | { kind: 'tcp'; url: string; host: string; port: number };

/** Parses `ws://…`, `wss://…` or `tcp://host:port` into an address; anything else is a usage error. */
export function parseHubUrl(text: string): HubAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('usage', `not a URL: ${text}`, `give the hub's address like ${DEFAULT_URL} or tcp://127.0.0.1:7801`);
  }
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return { kind: 'ws', url: text };
  if (url.protocol === 'tcp:') {
    const port = Number(url.port);
    if (!url.hostname || !Number.isInteger(port) || port <= 0) {
      throw new CliError('usage', `a tcp:// hub URL needs a host and a port, got ${text}`, 'for example tcp://127.0.0.1:7801');
    }
    return { kind: 'tcp', url: text, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  }
  throw new CliError('usage', `unsupported hub URL scheme ${url.protocol} in ${text}`, 'use ws://, wss:// or tcp://');
}
