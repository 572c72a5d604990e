import { z } from 'zod';

/** Restart policies a supervisor (or the runtime, for a top-level actor) applies. */
export const RestartPolicySchema = z.strictObject({
  /** never: leave it stopped; on-failure: restart after a failure; always: also after a normal exit. */
  policy: z.enum(['never', 'on-failure', 'always']),
  /** Restarts allowed within `periodMs`; one more failure inside the window stops the actor for good. */
  maxRestarts: z.number().int().min(0).max(1000).default(3),
  periodMs: z.number().int().min(1).max(86_400_000).default(60_000),
});

/** A restart policy with its defaults filled in. */
export type RestartPolicy = z.output<typeof RestartPolicySchema>;

const RelativePaths = z.array(z.string().min(1)).max(256);

/** One `[[handlers]]` entry as written in TOML. */
const HandlerEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('runtime') }),
  z.strictObject({ type: z.literal('message-server') }),
  z.strictObject({
    type: z.literal('supervisor'),
    /** Manifests (relative to this manifest) the actor may spawn; absent: any. */
    manifests: RelativePaths.optional(),
  }),
  z.strictObject({ type: z.literal('store') }),
  z.strictObject({
    type: z.literal('timer'),
    /** The shortest interval the actor may ask for (default 10 ms). */
    'min-interval-ms': z.number().int().min(1).max(86_400_000).optional(),
  }),
  z.strictObject({ type: z.literal('tcp') }),
]);

/** A manifest file's content, as TOML parses it (kebab-case keys, as TOML files usually have). */
export const ManifestFileSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'a name may hold letters, digits, _ and -'),
  version: z.string().max(64).optional(),
  description: z.string().max(1000).optional(),
  /** Path of the .wasm, relative to the manifest file. */
  package: z.string().min(1),
  /** The actor's initial state. */
  state: z.record(z.string(), z.json()).optional(),
  handlers: z.array(HandlerEntrySchema).max(16).optional(),
  limits: z
    .strictObject({
      /** Per-call deadline of every export, in ms (default 5000). */
      'call-timeout-ms': z.number().int().min(1).max(600_000).optional(),
      /** Calls that may wait for the actor (default 1024). */
      mailbox: z.number().int().min(1).max(1_000_000).optional(),
    })
    .optional(),
  supervision: z
    .strictObject({
      restart: z.enum(['never', 'on-failure', 'always']).optional(),
      'max-restarts': z.number().int().min(0).max(1000).optional(),
      'period-ms': z.number().int().min(1).max(86_400_000).optional(),
    })
    .optional(),
});

/** The raw parsed manifest. */
export type ManifestFile = z.output<typeof ManifestFileSchema>;
