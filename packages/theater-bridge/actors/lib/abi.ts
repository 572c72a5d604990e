// The actor side of the theater ABI (see the package README, "ABI").
// Every payload crosses the boundary as UTF-8 JSON in linear memory; a (pointer, length) pair is
// returned packed into one u64: pointer in the high 32 bits, length in the low 32 bits.

import { JSONValue, parse, quote } from "./json";

/** ABI export: reserves `len` bytes for the host to write into. */
export function alloc(len: usize): usize {
  return heap.alloc(len);
}

/** ABI export: frees a block the host received from an export or wrote with `alloc`. */
export function dealloc(ptr: usize, len: usize): void {
  heap.free(ptr);
}

/** Packs a pointer and a length into the u64 the ABI returns. */
export function pack(ptr: usize, len: usize): u64 {
  return (<u64>ptr << 32) | <u64>len;
}

/** Decodes the UTF-8 JSON the host wrote at (ptr, len). */
export function readJSON(ptr: usize, len: usize): JSONValue {
  return parse(String.UTF8.decodeUnsafe(ptr, len));
}

/** Copies `text` as UTF-8 into a fresh heap block whose ownership passes to the host. */
export function packString(text: string): u64 {
  const len = <usize>String.UTF8.byteLength(text);
  // heap.alloc memory is not traced by the garbage collector, so it stays valid until the host frees it.
  const ptr = heap.alloc(len);
  String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, ptr);
  return pack(ptr, len);
}

/** An export's successful answer: the new state and, when not null, a result. */
export function ok(state: JSONValue, result: JSONValue | null): u64 {
  let text = '{"state":' + state.stringify();
  if (result != null) text += ',"result":' + result.stringify();
  return packString(text + "}");
}

/** An export's handled error: the state stays as it was and the caller receives the message. */
export function fail(message: string): u64 {
  return packString('{"error":{"message":' + quote(message) + "}}");
}

/**
 * Replaces AssemblyScript's `env.abort` import (wired with `--use abort=...` in the build), so a
 * failed assertion traps instead of needing an import no manifest grants.
 */
export function abortHandler(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}
