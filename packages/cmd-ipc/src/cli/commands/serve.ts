import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { DEFAULT_PORT } from '../connection/hub-url.js';
import { SECRET_FILE_ENV, resolveSecret } from '../connection/secret.js';
import { startHub, type PeerChange, type RunningHub } from '../../hub/hub-server.js';
import type { CliIo } from '../io.js';
import { expectPositionals, integerOption, parse, stringOption } from '../options.js';
import type { Logger } from '../../registry/types.js';

const SERVE_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'tcp-port': { type: 'string' },
  id: { type: 'string' },
  'no-live-view': { type: 'boolean' },
  'secret-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `cmd-ipc serve`: runs a hub until Ctrl-C or SIGTERM. Prints where it listens (with --json, one JSON
 * line `{"event":"listening",…}`), then one line per peer that joins or leaves.
 */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const parsed = parse('serve', args, SERVE_OPTIONS);
  expectPositionals('serve', parsed, 0, 0, '(options only)');
  const json = parsed.values.json === true;
  const host = stringOption(parsed, 'host') ?? '127.0.0.1';
  const port = integerOption(parsed, 'port', DEFAULT_PORT);
  const tcpText = stringOption(parsed, 'tcp-port');
  const tcpPort = tcpText === undefined ? undefined : integerOption(parsed, 'tcp-port', 0);

  let secretFile: string | undefined;
  let found = resolveSecret(stringOption(parsed, 'secret-file'), io.env);
  if (!found) {
    // No secret anywhere: make one, and put it where clients on this machine (and only this user) can read it.
    secretFile = join(tmpdir(), `cmd-ipc-hub-${process.pid}.secret`);
    writeFileSync(secretFile, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    found = resolveSecret(secretFile, {})!;
  }

  const write = (line: Record<string, unknown>, text: string): void => io.out(json ? `${JSON.stringify(line)}\n` : `${text}\n`);
  const onPeer = (change: PeerChange): void => {
    const text =
      change.kind === 'joined'
        ? `+ ${change.identity} joined over ${change.transport} (channel ${change.channelId})`
        : `- ${change.identity} left (channel ${change.channelId})${change.reason ? `: ${change.reason}` : ''}`;
    write({ event: change.kind, ...change }, text);
  };

  let hub: RunningHub;
  try {
    hub = await startHub({
      secret: found.secret,
      host,
      port,
      ...(tcpPort === undefined ? {} : { tcpPort }),
      ...(stringOption(parsed, 'id') === undefined ? {} : { id: stringOption(parsed, 'id')! }),
      liveView: parsed.values['no-live-view'] !== true,
      logger: stderrLogger(io),
      onPeer,
    });
  } catch (error) {
    if (secretFile) rmSync(secretFile, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError('failure', `cannot listen on ${host}: ${(error as Error).message.replace(/^listen /, '')}`, 'another hub may be running; pass --port 0 (and --tcp-port 0) to pick free ports');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError('usage', `cannot listen on host ${host}: ${code}`, 'use an address of this machine, e.g. 127.0.0.1');
    throw error;
  }

  const { urls } = hub;
  const listening: Record<string, unknown> = { event: 'listening', hub: hub.registry.id, urls, secretSource: found.source };
  if (secretFile) listening.secretFile = secretFile;
  const lines = [
    `cmd-ipc hub "${hub.registry.id}" is listening`,
    ...(urls.ws ? [`  WebSocket  ${urls.ws}`] : []),
    ...(urls.tcp ? [`  TCP        ${urls.tcp}`] : []),
    ...(urls.liveView ? [`  live view  ${urls.liveView}`] : []),
    `  secret     ${found.source}${secretFile ? ' (made for this run; deleted on exit)' : ''}`,
    `try: ${secretFile ? `${SECRET_FILE_ENV}=${secretFile} ` : ''}cmd-ipc list --url ${urls.ws ?? urls.tcp}`,
    'Ctrl-C stops the hub.',
  ];
  write(listening, lines.join('\n'));

  const signal = await io.stopRequested;
  await hub.close();
  if (secretFile) rmSync(secretFile, { force: true });
  write({ event: 'stopped', signal }, `hub stopped (${signal})`);
  return 0;
}

/** Refusals, close reasons and failures go to standard error; a person running a hub wants to see them. */
function stderrLogger(io: CliIo): Logger {
  const line =
    (level: string) =>
    (message: string): void =>
      io.err(`[hub] ${level}: ${message}\n`);
  return { debug: () => {}, info: () => {}, warn: line('warn'), error: line('error') };
}
