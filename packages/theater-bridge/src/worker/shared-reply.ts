/**
 * How a host reply reaches a worker that is blocked in a host call.
 *
 * The worker cannot run its event loop while a wasm export is on its stack (the import must return
 * synchronously), so it posts the call and then sleeps in `Atomics.wait` on a SharedArrayBuffer. The
 * main thread answers through that buffer:
 *
 *   bytes 0..3   signal   0 = waiting, 1 = reply ready   (Int32, the word the worker waits on)
 *   bytes 4..7   length   the reply's UTF-8 byte length
 *   bytes 8..11  where    0 = inline (in the data region), 1 = on the reply port
 *   bytes 16..   data     `capacity` bytes of inline reply
 *
 * A reply that does not fit the data region is posted on a dedicated MessagePort before the signal is
 * set, and the worker takes it with `receiveMessageOnPort`, which works without an event loop turn.
 * So the buffer stays small and no reply is ever too large.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

const SIGNAL = 0;
const LENGTH = 1;
const WHERE = 2;
const HEADER_BYTES = 16;
const WAITING = 0;
const READY = 1;
const INLINE = 0;
const ON_PORT = 1;

/** Default size of the inline reply region (64 KiB). */
export const DEFAULT_SHARED_BYTES = 64 * 1024;

/** A shared reply buffer for one worker. */
export function createSharedReply(capacity = DEFAULT_SHARED_BYTES): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

const encoder = new TextEncoder();

/** Main thread: delivers `text` to the waiting worker and wakes it. */
export function writeReply(shared: SharedArrayBuffer, port: MessagePort, text: string): void {
  const control = new Int32Array(shared, 0, 4);
  const data = new Uint8Array(shared, HEADER_BYTES);
  const { read, written } = encoder.encodeInto(text, data);
  if (read === text.length) {
    control[LENGTH] = written;
    control[WHERE] = INLINE;
  } else {
    const bytes = encoder.encode(text);
    port.postMessage(bytes, [bytes.buffer]);
    control[LENGTH] = bytes.byteLength;
    control[WHERE] = ON_PORT;
  }
  Atomics.store(control, SIGNAL, READY);
  Atomics.notify(control, SIGNAL);
}

/** Worker: arms the signal before posting a host call (so a fast reply is not missed). */
export function armReply(shared: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(shared, 0, 4), SIGNAL, WAITING);
}

/**
 * Worker: blocks until the reply is ready and returns its bytes. The view may point into the shared
 * buffer; copy it before the next host call.
 */
export function awaitReply(shared: SharedArrayBuffer, port: MessagePort): Uint8Array {
  const control = new Int32Array(shared, 0, 4);
  // No timeout: the main thread enforces the call's deadline by terminating this worker.
  while (Atomics.load(control, SIGNAL) === WAITING) Atomics.wait(control, SIGNAL, WAITING);
  const length = control[LENGTH] ?? 0;
  if (control[WHERE] === INLINE) return new Uint8Array(shared, HEADER_BYTES, length);
  const received = receiveMessageOnPort(port);
  if (!received) throw new Error('host reply was announced on the reply port but is not there');
  return received.message as Uint8Array;
}
