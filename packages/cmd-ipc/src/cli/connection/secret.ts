import { readFileSync } from 'node:fs';
import { CliError } from '../cli-error.js';

/** The environment variable holding the shared secret itself. */
export const SECRET_ENV = 'CMD_IPC_SECRET';
/** The environment variable naming a file that holds the shared secret. */
export const SECRET_FILE_ENV = 'CMD_IPC_SECRET_FILE';

/** Where a secret came from, for messages (never the secret itself). */
export interface ResolvedSecret {
  secret: string;
  source: string;
}

/**
 * Finds the shared secret: `--secret-file` first, then `$CMD_IPC_SECRET`, then `$CMD_IPC_SECRET_FILE`.
 * Returns undefined when none is set. A file's trailing newline is not part of the secret.
 */
export function resolveSecret(secretFile: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedSecret | undefined {
  if (secretFile !== undefined) return { secret: readSecretFile(secretFile, '--secret-file'), source: `file ${secretFile}` };
  const direct = env[SECRET_ENV];
  if (direct !== undefined && direct !== '') return { secret: direct, source: `$${SECRET_ENV}` };
  const file = env[SECRET_FILE_ENV];
  if (file !== undefined && file !== '') return { secret: readSecretFile(file, `$${SECRET_FILE_ENV}`), source: `file ${file}` };
  return undefined;
}

/** Like `resolveSecret`, but a missing secret is an error that says how to give one. */
export function requireSecret(secretFile: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedSecret {
  const found = resolveSecret(secretFile, env);
  if (found) return found;
  throw new CliError(
    'hub_unreachable',
    'no secret to authenticate to the hub with',
    `set ${SECRET_ENV} (or ${SECRET_FILE_ENV}), or pass --secret-file, with the secret \`cmd-ipc serve\` uses; it prints where its secret is when it starts`,
  );
}

function readSecretFile(path: string, from: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError('usage', `cannot read the secret file ${path} (from ${from}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new CliError('usage', `the secret file ${path} (from ${from}) is empty`);
  return secret;
}
