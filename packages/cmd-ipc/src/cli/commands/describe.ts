import { meshCommand } from '../../hub/management-schemas.js';
import type { CliIo } from '../io.js';
import { CONNECT_OPTIONS, connectSettings, expectPositionals, parse } from '../options.js';
import { callHubCommand } from './command-failure.js';
import { withSession } from './with-session.js';

/** `cmd-ipc describe <id>`: one command's owner, description and full JSON Schema. */
export async function runDescribe(args: string[], io: CliIo): Promise<number> {
  const parsed = parse('describe', args, CONNECT_OPTIONS);
  expectPositionals('describe', parsed, 1, 1, '<id>');
  const commandId = parsed.positionals[0]!;
  const settings = connectSettings(parsed, io);
  const found = await withSession(settings, (session) =>
    callHubCommand(async () => meshCommand.parse(await session.registry.executeCommand('hub.describe', { id: commandId })), 'hub.describe', session.url),
  );
  if (parsed.values.json) {
    io.out(`${JSON.stringify(found)}\n`);
    return 0;
  }
  const indent = (value: unknown): string => JSON.stringify(value, null, 2).replace(/\n/g, '\n    ');
  const lines = [
    found.id,
    `  owner:        ${found.owner}${found.channelId ? ` (hub channel ${found.channelId})` : ''}`,
    `  description:  ${found.description ?? '(none)'}`,
    `  request schema:`,
    `    ${found.schema?.request ? indent(found.schema.request) : '(none: the command takes no request, or accepts any)'}`,
    `  response schema:`,
    `    ${found.schema?.response ? indent(found.schema.response) : '(none: the command returns nothing, or does not say)'}`,
  ];
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
