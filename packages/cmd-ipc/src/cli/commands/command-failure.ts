import { CommandError } from '../../registry/errors.js';
import { isExecuteErrorCode } from '../../registry/errors.js';
import { CliError } from '../cli-error.js';

/** Turns an execute failure into a CliError whose exit code is the wire code's, with a hint for a person. */
export function commandFailure(commandId: string, url: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const code = error instanceof CommandError ? error.code : (error as { code?: unknown } | null)?.code;
  const message = (error as Error)?.message ?? String(error);
  if (!isExecuteErrorCode(code)) return new CliError('failure', `${commandId} failed: ${message}`);
  const hints: Record<typeof code, string> = {
    not_found: `\`cmd-ipc list --url ${url}\` shows the commands in the mesh`,
    invalid_request: `\`cmd-ipc describe ${commandId} --url ${url}\` shows the request schema`,
    internal_error: `the handler of ${commandId} failed; the logs of the node that owns it say more`,
    timeout: 'no answer in time: raise --timeout, or check the node that owns it',
    channel_disconnected: `the node that owns ${commandId} (or the hub) went away mid-call; \`cmd-ipc nodes --url ${url}\` shows who is connected`,
  };
  return new CliError(code, message, hints[code]);
}

/**
 * Runs a hub management command. A hub without it is not a `cmd-ipc serve` hub (a plain root
 * registry), which is worth saying plainly rather than as `not_found`.
 */
export async function callHubCommand<T>(run: () => Promise<T>, commandId: string, url: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CommandError && error.code === 'not_found' && error.message.includes(commandId)) {
      throw new CliError('not_found', `the hub at ${url} has no ${commandId} command`, 'list, describe and nodes need a hub started with `cmd-ipc serve`; exec and watch work with any cmd-ipc hub');
    }
    throw commandFailure(commandId, url, error);
  }
}
