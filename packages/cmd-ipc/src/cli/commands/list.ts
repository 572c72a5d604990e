import { z } from 'zod';
import { hubCommands, meshCommand } from '../../hub/management-schemas.js';
import type { CliIo } from '../io.js';
import { CONNECT_OPTIONS, connectSettings, expectPositionals, parse } from '../options.js';
import { formatTable } from '../output/table.js';
import { summarizeSchema } from '../output/schema-summary.js';
import { callHubCommand } from './command-failure.js';
import { withSession } from './with-session.js';

const answer = z.object({ commands: z.array(meshCommand) });

/** `cmd-ipc list [prefix]`: every command in the mesh with its owner and a schema summary. */
export async function runList(args: string[], io: CliIo): Promise<number> {
  const parsed = parse('list', args, CONNECT_OPTIONS);
  expectPositionals('list', parsed, 0, 1, '[prefix]');
  const prefix = parsed.positionals[0] ?? '';
  const settings = connectSettings(parsed, io);
  const id = 'hub.list-commands' satisfies keyof typeof hubCommands;
  const { commands } = await withSession(settings, (session) =>
    callHubCommand(async () => answer.parse(await session.registry.executeCommand(id)), id, session.url),
  );
  const shown = commands.filter((command) => command.id.startsWith(prefix));
  if (parsed.values.json) {
    io.out(`${JSON.stringify({ commands: shown })}\n`);
    return 0;
  }
  const rows = shown.map((command) => [
    command.id,
    command.owner,
    summarizeSchema(command.schema?.request),
    summarizeSchema(command.schema?.response),
    command.description ?? '',
  ]);
  io.out(`${formatTable(['COMMAND', 'OWNER', 'REQUEST', 'RESPONSE', 'DESCRIPTION'], rows, [undefined, 20, 48, 36, 60])}\n`);
  const owners = new Set(shown.map((command) => command.owner));
  io.out(`\n${shown.length} command${shown.length === 1 ? '' : 's'} from ${owners.size} owner${owners.size === 1 ? '' : 's'}${prefix ? ` (prefix "${prefix}")` : ''}\n`);
  return 0;
}
