import { CliError } from './cli-error.js';
import { EXIT_CODES } from './exit-codes.js';
import type { CliIo } from './io.js';
import { USAGE } from './usage.js';
import { runDescribe } from './commands/describe.js';
import { runExec } from './commands/exec.js';
import { runList } from './commands/list.js';
import { runNodes } from './commands/nodes.js';
import { runServe } from './commands/serve.js';
import { runWatch } from './commands/watch.js';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  serve: runServe,
  list: runList,
  describe: runDescribe,
  exec: runExec,
  watch: runWatch,
  nodes: runNodes,
};

/** Runs the CLI with `argv` (without node and the script); resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  const command = COMMANDS[name];
  if (!command) return report(io, new CliError('usage', `unknown command: ${name}`, `the commands are ${Object.keys(COMMANDS).join(', ')}; run \`cmd-ipc --help\``));
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return EXIT_CODES.ok;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof CliError) return report(io, error);
    return report(io, new CliError('failure', `${name} failed unexpectedly: ${(error as Error)?.stack ?? String(error)}`));
  }
}

function report(io: CliIo, error: CliError): number {
  io.err(`cmd-ipc: ${error.code === 'usage' || error.code === 'failure' || error.code === 'hub_unreachable' ? '' : `${error.code}: `}${error.message}\n`);
  if (error.hint) io.err(`  hint: ${error.hint}\n`);
  return error.exitCode;
}
