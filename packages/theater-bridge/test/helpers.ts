import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandRegistry } from 'cmd-ipc';
import { createTheater, type Theater, type TheaterOptions } from '../src/index.js';

/** The package's actors directory. */
export const ACTORS_DIR = fileURLToPath(new URL('../actors/', import.meta.url));

/** The manifest of a shipped actor. */
export function manifestOf(name: string): string {
  return join(ACTORS_DIR, name, `${name}.toml`);
}

/** The compiled module of a shipped actor. */
export function wasmOf(name: string): string {
  return join(ACTORS_DIR, 'dist', `${name}.wasm`);
}

/** A registry with a theater on it and a fresh data directory; `close()` removes everything. */
export interface TestTheater {
  registry: CommandRegistry;
  theater: Theater;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts a theater on a new root registry with a temporary data directory. */
export async function startTheater(options: Partial<TheaterOptions> & { registryId?: string } = {}): Promise<TestTheater> {
  const dataDir = await mkdtemp(join(tmpdir(), 'theater-test-'));
  const registry = new CommandRegistry({ id: options.registryId ?? 'node-test' });
  const theater = await createTheater({ registry, dataDir, ...options });
  return {
    registry,
    theater,
    dataDir,
    async close() {
      await theater.dispose();
      await registry.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first event `id` whose payload satisfies `match`, or rejects after `timeoutMs`. */
export function waitForEvent<T>(
  registry: CommandRegistry,
  id: string,
  match: (payload: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`event ${id} did not arrive within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = registry.addEventListener(id, (payload) => {
      if (!match(payload as T)) return;
      clearTimeout(timer);
      off();
      resolve(payload as T);
    });
  });
}
