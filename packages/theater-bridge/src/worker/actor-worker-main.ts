/**
 * The worker thread that runs one actor instance. Kept to node built-ins and two tiny modules so a
 * worker starts fast. Every export runs synchronously here; host calls block in Atomics.wait until
 * the main thread has executed the command and written the reply (see shared-reply.ts).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { pack, unpack } from '../abi/packing.js';
import { armReply, awaitReply } from './shared-reply.js';
import type { CallMessage, FromWorker, InitMessage, ToWorker } from './worker-messages.js';

interface AbiExports {
  memory: WebAssembly.Memory;
  alloc: (len: number) => number;
  dealloc?: (ptr: number, len: number) => void;
  _initialize?: () => void;
}

type ExportFn = (statePtr: number, stateLen: number, paramsPtr: number, paramsLen: number) => unknown;

const port = parentPort;
if (!port) throw new Error('actor-worker-main must run in a worker thread');

const decoder = new TextDecoder();
const encoder = new TextEncoder();
let abi: AbiExports | undefined;
let exportsTable: Record<string, unknown> = {};

function post(message: FromWorker): void {
  port!.postMessage(message);
}

/** Copies bytes into fresh actor memory (the actor's `alloc`) and returns where. */
function writeBytes(bytes: Uint8Array): { ptr: number; len: number } {
  const ptr = abi!.alloc(bytes.byteLength) >>> 0;
  // Read `memory.buffer` after alloc: alloc may grow memory and detach the old buffer.
  new Uint8Array(abi!.memory.buffer, ptr, bytes.byteLength).set(bytes);
  return { ptr, len: bytes.byteLength };
}

function readText(ptr: number, len: number): string {
  const memory = abi!.memory.buffer;
  if (ptr + len > memory.byteLength) throw new RangeError(`range ${ptr}+${len} is outside linear memory (${memory.byteLength} bytes)`);
  return decoder.decode(new Uint8Array(memory, ptr, len));
}

function makeImports(module: WebAssembly.Module, shared: SharedArrayBuffer, replyPort: MessagePort): WebAssembly.Imports {
  const imports: Record<string, Record<string, (ptr: number, len: number) => bigint>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const table = (imports[imp.module] ??= {});
    table[imp.name] = (ptr: number, len: number): bigint => {
      const input = readText(ptr >>> 0, len >>> 0);
      armReply(shared);
      post({ type: 'host', interface: imp.module, function: imp.name, input });
      const reply = writeBytes(awaitReply(shared, replyPort));
      return pack(reply.ptr, reply.len);
    };
  }
  return imports;
}

function init(message: InitMessage): void {
  try {
    const instance = new WebAssembly.Instance(message.module, makeImports(message.module, message.shared, message.replyPort));
    exportsTable = instance.exports as Record<string, unknown>;
    abi = instance.exports as unknown as AbiExports;
    // WASI-style reactors initialise through _initialize; AssemblyScript uses the start section instead.
    if (typeof abi._initialize === 'function') abi._initialize();
    post({ type: 'ready' });
  } catch (error) {
    post({ type: 'init-failed', message: (error as Error).message ?? String(error) });
  }
}

function call(message: CallMessage): void {
  const fn = exportsTable[message.name];
  if (typeof fn !== 'function' || !abi) {
    post({ type: 'abi-violation', seq: message.seq, message: `export ${message.name} is not a function` });
    return;
  }
  let returned: unknown;
  let state: { ptr: number; len: number };
  let params: { ptr: number; len: number };
  try {
    state = writeBytes(encoder.encode(message.state));
    params = writeBytes(encoder.encode(message.params));
    returned = (fn as ExportFn)(state.ptr, state.len, params.ptr, params.len);
  } catch (error) {
    post({ type: 'trapped', seq: message.seq, message: (error as Error).message ?? String(error) });
    return;
  }
  if (typeof returned !== 'bigint') {
    post({ type: 'abi-violation', seq: message.seq, message: `export ${message.name} must return an i64 (packed pointer and length)` });
    return;
  }
  try {
    const { ptr, len } = unpack(returned);
    const output = readText(ptr, len);
    // Ownership of the result and of the inputs the host wrote is the host's; give them back.
    if (abi.dealloc) {
      abi.dealloc(ptr, len);
      abi.dealloc(state.ptr, state.len);
      abi.dealloc(params.ptr, params.len);
    }
    post({ type: 'returned', seq: message.seq, output });
  } catch (error) {
    post({ type: 'abi-violation', seq: message.seq, message: `export ${message.name} returned an unreadable result: ${(error as Error).message}` });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') init(message);
  else call(message);
});
