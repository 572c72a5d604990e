import { join } from 'node:path';
import { InvalidRequestError } from 'cmd-ipc';
import { z } from 'zod';
import { StoreNotFoundError } from '../../errors/theater-errors.js';
import type { ActorRuntime } from '../../runtime/actor-runtime.js';
import { commandFor, INTERFACES } from '../interfaces.js';
import { ContentStore, isContentHash } from './content-store.js';

const spec = INTERFACES.store;

/** Largest object `put` accepts, decoded (16 MiB). */
export const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

const Encoding = z.enum(['utf8', 'base64']);
const HashSchema = z.string().refine(isContentHash, 'a hash is 64 lowercase hex digits (SHA-256)');
const LabelSchema = z.string().min(1).max(256);

const PutSchema = z.object({ data: z.string(), encoding: Encoding.optional() });
const GetSchema = z.object({ hash: HashSchema, encoding: Encoding.optional() });
const HasSchema = z.object({ hash: HashSchema });
const SetLabelSchema = z.object({ label: LabelSchema, hash: HashSchema });
const ResolveSchema = z.object({ label: LabelSchema });
const EmptySchema = z.object({}).optional();

/** Registers `theater:simple/store`: put, get, has, label, resolve, labels. Returns the store. */
export async function registerStoreHandler(runtime: ActorRuntime): Promise<ContentStore> {
  const store = new ContentStore(runtime.dataDir ? join(runtime.dataDir, 'store') : undefined);
  const { registry } = runtime;
  const register = (fn: string, description: string, schema: z.ZodType, handler: (request: never) => unknown): Promise<void> =>
    registry.registerCommand(
      commandFor(spec, fn),
      (request, context) => {
        runtime.callerActor(context, spec.handler);
        return handler(request as never);
      },
      { description: `theater:simple/store.${fn}: ${description}`, schema: { request: schema } },
    );

  await register('put', 'store bytes; answers their SHA-256', PutSchema, async (request: z.output<typeof PutSchema>) => {
    const bytes = Buffer.from(request.data, request.encoding ?? 'utf8');
    if (bytes.byteLength > MAX_OBJECT_BYTES) {
      throw new InvalidRequestError(`store.put: object of ${bytes.byteLength} bytes is larger than ${MAX_OBJECT_BYTES}`);
    }
    return { hash: await store.put(bytes), size: bytes.byteLength };
  });
  await register('get', 'the bytes stored under a hash', GetSchema, async (request: z.output<typeof GetSchema>) => {
    const bytes = await store.get(request.hash);
    if (!bytes) throw new StoreNotFoundError(`object ${request.hash}`);
    const encoding = request.encoding ?? 'utf8';
    return { data: Buffer.from(bytes).toString(encoding), encoding, size: bytes.byteLength };
  });
  await register('has', 'whether a hash is stored', HasSchema, async (request: z.output<typeof HasSchema>) => ({
    exists: await store.has(request.hash),
  }));
  await register('label', 'point a label at a stored hash', SetLabelSchema, async (request: z.output<typeof SetLabelSchema>) => {
    if (!(await store.has(request.hash))) throw new StoreNotFoundError(`object ${request.hash} to label ${request.label}`);
    await store.setLabel(request.label, request.hash);
    return {};
  });
  await register('resolve', 'the hash a label points at', ResolveSchema, async (request: z.output<typeof ResolveSchema>) => {
    const hash = await store.resolveLabel(request.label);
    if (hash === undefined) throw new StoreNotFoundError(`label ${request.label}`);
    return { hash };
  });
  await register('labels', 'every label', EmptySchema, async () => ({ labels: await store.labels() }));
  return store;
}
