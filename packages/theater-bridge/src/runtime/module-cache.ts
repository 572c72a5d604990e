import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { ManifestError } from '../errors/theater-errors.js';

/** A compiled module and the SHA-256 of its bytes. */
export interface LoadedModule {
  module: WebAssembly.Module;
  hash: string;
}

interface Entry extends LoadedModule {
  mtimeMs: number;
  size: number;
}

/**
 * Compiles each .wasm once and reuses it while the file is unchanged: compiling is the expensive part
 * of a spawn, and a `WebAssembly.Module` can be sent to any number of worker threads.
 */
export class ModuleCache {
  private readonly entries = new Map<string, Entry>();

  /** The compiled module at `path` (recompiled when the file changed). */
  async load(path: string): Promise<LoadedModule> {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new ManifestError(`cannot read actor package ${path}: ${(error as Error).message}`, { cause: error });
    }
    const cached = this.entries.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const bytes = await readFile(path);
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(bytes);
    } catch (error) {
      throw new ManifestError(`actor package ${path} is not a valid WebAssembly module: ${(error as Error).message}`, { cause: error });
    }
    const entry: Entry = { module, hash: sha256(bytes), mtimeMs: info.mtimeMs, size: info.size };
    this.entries.set(path, entry);
    return entry;
  }
}

/** SHA-256 of bytes, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
