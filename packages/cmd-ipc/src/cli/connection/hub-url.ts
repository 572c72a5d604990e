import { type HubAddress, InvalidHubUrlError, parseHubAddress } from '../../channels/net/hub-client.js';
import { CliError } from '../cli-error.js';

/** The environment variable a default hub URL is read from. */
export const URL_ENV = 'CMD_IPC_URL';
/** The port `cmd-ipc serve` listens on (and clients dial) when none is given. */
export const DEFAULT_PORT = 7800;
/** The hub URL clients use when neither `--url` nor `$CMD_IPC_URL` is given. */
export const DEFAULT_URL = `ws://127.0.0.1:${DEFAULT_PORT}`;

export type { HubAddress } from '../../channels/net/hub-client.js';

/** Parses a hub URL; anything else is a usage error with a hint. */
export function parseHubUrl(text: string): HubAddress {
  try {
    return parseHubAddress(text);
  } catch (error) {
    if (error instanceof InvalidHubUrlError) throw new CliError('usage', error.message, error.hint);
    throw error;
  }
}
