import { readFileSync } from 'node:fs';
import { CommandError } from '../../registry/errors.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { CONNECT_OPTIONS, connectSettings, expectPositionals, integerOption, parse, stringOption } from '../options.js';
import { commandFailure } from './command-failure.js';
import { withSession } from './with-session.js';

const EXEC_OPTIONS = { ...CONNECT_OPTIONS, file: { type: 'string' }, timeout: { type: 'string' } } as const;

/**
 * `cmd-ipc exec <id> [json | --file f]`: runs a command anywhere in the mesh and prints its result.
 * The exit code is the error code's (see exit-codes.ts); with --json the outcome is printed as
 * `{"ok":true,"result":…}` or `{"ok":false,"error":{"code","message"}}` either way.
 */
export async function runExec(args: string[], io: CliIo): Promise<number> {
  const parsed = parse('exec', args, EXEC_OPTIONS);
  expectPositionals('exec', parsed, 1, 2, '<id> [json]');
  const commandId = parsed.positionals[0]!;
  const request = await readRequest(parsed.positionals[1], stringOption(parsed, 'file'), io);
  const timeoutMs = integerOption(parsed, 'timeout', 30_000, 1);
  const settings = connectSettings(parsed, io);
  const json = parsed.values.json === true;
  return withSession(settings, async (session) => {
    let result: unknown;
    try {
      result = await session.registry.executeCommand(commandId, request, { timeoutMs });
    } catch (error) {
      const failure = commandFailure(commandId, session.url, error);
      if (json && error instanceof CommandError) {
        io.out(`${JSON.stringify({ ok: false, error: { code: error.code, message: error.message } })}\n`);
        return failure.exitCode;
      }
      throw failure;
    }
    if (json) io.out(`${JSON.stringify(result === undefined ? { ok: true } : { ok: true, result })}\n`);
    else if (typeof result === 'string') io.out(`${result}\n`);
    else if (result !== undefined) io.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  });
}

async function readRequest(inline: string | undefined, file: string | undefined, io: CliIo): Promise<unknown> {
  if (inline !== undefined && file !== undefined) throw new CliError('usage', 'exec takes the request inline or from --file, not both');
  let text: string;
  let from: string;
  if (file !== undefined) {
    from = file === '-' ? 'standard input' : `file ${file}`;
    try {
      text = file === '-' ? await io.readStdin() : readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError('usage', `cannot read the request from ${from}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else if (inline !== undefined) {
    text = inline;
    from = 'the command line';
  } else {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError('usage', `the request from ${from} is not JSON: ${(error as Error).message}`, `quote it for the shell, e.g. cmd-ipc exec math.add '{"a":2,"b":3}'`);
  }
}
