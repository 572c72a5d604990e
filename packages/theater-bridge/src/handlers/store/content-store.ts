import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';

const HASH = /^[0-9a-f]{64}$/;

/** True when `hash` looks like a SHA-256 hex digest (so it is safe as a file name). */
export function isContentHash(hash: string): boolean {
  return HASH.test(hash);
}

/**
 * Content-addressed storage: an object's key is the SHA-256 of its bytes, so the same bytes are stored
 * once and a key always names exactly those bytes. Labels are mutable names pointing at hashes.
 * On disk: `<dir>/objects/<hash>` and `<dir>/labels.json`; without a directory, in memory.
 */
export class ContentStore {
  private readonly memory = new Map<string, Uint8Array>();
  private labelMap: Map<string, string> | undefined;
  private labelWrite: Promise<void> = Promise.resolve();

  constructor(private readonly dir?: string) {}

  /** Stores bytes; returns their hash. */
  async put(bytes: Uint8Array): Promise<string> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (!this.dir) {
      this.memory.set(hash, Uint8Array.from(bytes));
      return hash;
    }
    if (await this.has(hash)) return hash;
    const objects = join(this.dir, 'objects');
    await mkdir(objects, { recursive: true });
    // Write then rename, so a reader never sees a half-written object under its final name.
    const tmp = join(objects, `.${hash}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(objects, hash));
    return hash;
  }

  /** The bytes stored under `hash`, or undefined. */
  async get(hash: string): Promise<Uint8Array | undefined> {
    if (!isContentHash(hash)) return undefined;
    if (!this.dir) return this.memory.get(hash);
    try {
      return await readFile(join(this.dir, 'objects', hash));
    } catch {
      return undefined;
    }
  }

  /** True when `hash` is stored. */
  async has(hash: string): Promise<boolean> {
    if (!isContentHash(hash)) return false;
    if (!this.dir) return this.memory.has(hash);
    try {
      await access(join(this.dir, 'objects', hash));
      return true;
    } catch {
      return false;
    }
  }

  /** Points `label` at `hash`. */
  async setLabel(label: string, hash: string): Promise<void> {
    const labels = await this.loadLabels();
    labels.set(label, hash);
    await this.saveLabels(labels);
  }

  /** The hash `label` points at, or undefined. */
  async resolveLabel(label: string): Promise<string | undefined> {
    return (await this.loadLabels()).get(label);
  }

  /** Every label and its hash. */
  async labels(): Promise<Record<string, string>> {
    return Object.fromEntries(await this.loadLabels());
  }

  private async loadLabels(): Promise<Map<string, string>> {
    if (this.labelMap) return this.labelMap;
    let entries: Record<string, string> = {};
    if (this.dir) {
      try {
        entries = JSON.parse(await readFile(join(this.dir, 'labels.json'), 'utf8')) as Record<string, string>;
      } catch {
        entries = {};
      }
    }
    this.labelMap ??= new Map(Object.entries(entries));
    return this.labelMap;
  }

  private async saveLabels(labels: Map<string, string>): Promise<void> {
    const dir = this.dir;
    if (!dir) return;
    // Serialise label writes so two updates never interleave their temp-file renames.
    this.labelWrite = this.labelWrite.then(async () => {
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.labels.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(tmp, JSON.stringify(Object.fromEntries(labels)));
      await rename(tmp, join(dir, 'labels.json'));
    });
    await this.labelWrite;
  }
}
