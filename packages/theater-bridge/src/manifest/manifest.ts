import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { ManifestError } from '../errors/theater-errors.js';
import type { HandlerType } from '../handlers/interfaces.js';
import type { JsonObject } from '../json/json-value.js';
import { ManifestFileSchema, type RestartPolicy } from './manifest-schema.js';

/** A granted handler with its settings (paths resolved). */
export type HandlerGrant =
  | { type: 'runtime' | 'message-server' | 'store' | 'tcp' }
  | { type: 'supervisor'; manifests?: string[] }
  | { type: 'timer'; minIntervalMs: number };

/** A validated manifest, ready to spawn from. */
export interface Manifest {
  name: string;
  version?: string;
  description?: string;
  /** Absolute path of the .wasm. */
  packagePath: string;
  /** Directory relative paths in the manifest are resolved against. */
  baseDir: string;
  /** The manifest file, when it came from one. */
  path?: string;
  state: JsonObject;
  handlers: HandlerGrant[];
  limits: { callTimeoutMs: number; mailbox: number };
  supervision: RestartPolicy;
}

/** Defaults that apply when a manifest leaves a limit out. */
export const MANIFEST_DEFAULTS = { callTimeoutMs: 5_000, mailbox: 1_024, minIntervalMs: 10 } as const;

/** Parses and validates manifest TOML; relative paths resolve against `baseDir`. */
export function parseManifest(text: string, baseDir: string, source = '<inline manifest>'): Manifest {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    throw new ManifestError(`manifest ${source} is not valid TOML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ManifestFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ManifestError(`manifest ${source} is invalid: ${z.prettifyError(parsed.error)}`);
  }
  const file = parsed.data;
  const seen = new Set<HandlerType>();
  const handlers: HandlerGrant[] = [];
  for (const entry of file.handlers ?? []) {
    if (seen.has(entry.type)) throw new ManifestError(`manifest ${source} grants handler "${entry.type}" twice`);
    seen.add(entry.type);
    if (entry.type === 'supervisor') {
      const grant: HandlerGrant = { type: 'supervisor' };
      if (entry.manifests) grant.manifests = entry.manifests.map((path) => resolve(baseDir, path));
      handlers.push(grant);
    } else if (entry.type === 'timer') {
      handlers.push({ type: 'timer', minIntervalMs: entry['min-interval-ms'] ?? MANIFEST_DEFAULTS.minIntervalMs });
    } else {
      handlers.push({ type: entry.type });
    }
  }
  const manifest: Manifest = {
    name: file.name,
    packagePath: resolve(baseDir, file.package),
    baseDir,
    state: (file.state ?? {}) as JsonObject,
    handlers,
    limits: {
      callTimeoutMs: file.limits?.['call-timeout-ms'] ?? MANIFEST_DEFAULTS.callTimeoutMs,
      mailbox: file.limits?.mailbox ?? MANIFEST_DEFAULTS.mailbox,
    },
    supervision: {
      policy: file.supervision?.restart ?? 'never',
      maxRestarts: file.supervision?.['max-restarts'] ?? 3,
      periodMs: file.supervision?.['period-ms'] ?? 60_000,
    },
  };
  if (file.version !== undefined) manifest.version = file.version;
  if (file.description !== undefined) manifest.description = file.description;
  if (source !== '<inline manifest>') manifest.path = source;
  return manifest;
}

/** Reads, parses and validates a manifest file. */
export async function loadManifest(path: string): Promise<Manifest> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ManifestError(`cannot read manifest ${absolute}: ${(error as Error).message}`, { cause: error });
  }
  return parseManifest(text, dirname(absolute), absolute);
}

/** True when the manifest grants this handler. */
export function grants(manifest: Manifest, type: HandlerType): boolean {
  return manifest.handlers.some((grant) => grant.type === type);
}

/** The settings of a granted handler, if granted. */
export function grantOf<T extends HandlerType>(manifest: Manifest, type: T): Extract<HandlerGrant, { type: T }> | undefined {
  return manifest.handlers.find((grant): grant is Extract<HandlerGrant, { type: T }> => grant.type === type);
}
