import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';
import { DEFAULT_URL, URL_ENV, parseHubUrl, type HubAddress } from './connection/hub-url.js';
import { requireSecret } from './connection/secret.js';
import type { CliIo } from './io.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command that dials a hub accepts. */
export const CONNECT_OPTIONS = {
  url: { type: 'string' },
  'secret-file': { type: 'string' },
  identity: { type: 'string' },
  'connect-timeout': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Parsed arguments of one command. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `args` against `options`; an unknown option or a missing value is a usage error naming it. */
export function parse(command: string, args: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new CliError('usage', `${command}: ${(error as Error).message}`, 'run `cmd-ipc --help` for the options');
  }
}

/** Reads a string option. */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a non-negative integer option, or the default. */
export function integerOption(parsed: Parsed, name: string, fallback: number, min = 0): number {
  const text = stringOption(parsed, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new CliError('usage', `--${name} must be an integer of at least ${min}, got ${text}`);
  return value;
}

/** What a command needs to dial the hub. */
export interface ConnectSettings {
  address: HubAddress;
  secret: string;
  identity: string | undefined;
  timeoutMs: number;
}

/** Reads the hub URL, secret, identity and connect timeout from the options and environment. */
export function connectSettings(parsed: Parsed, io: CliIo): ConnectSettings {
  const address = parseHubUrl(stringOption(parsed, 'url') ?? io.env[URL_ENV] ?? DEFAULT_URL);
  const { secret } = requireSecret(stringOption(parsed, 'secret-file'), io.env);
  return { address, secret, identity: stringOption(parsed, 'identity'), timeoutMs: integerOption(parsed, 'connect-timeout', 5000, 1) };
}

/** Fails with a usage error when there are more positional arguments than `max`. */
export function expectPositionals(command: string, parsed: Parsed, min: number, max: number, shape: string): void {
  const count = parsed.positionals.length;
  if (count < min || count > max) throw new CliError('usage', `${command} takes ${shape}, got ${count === 0 ? 'none' : parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`, `usage: cmd-ipc ${command} ${shape}`);
}
