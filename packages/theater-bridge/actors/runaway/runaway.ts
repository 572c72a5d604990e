// Runaway: `spin` never returns, to prove the per-call deadline stops it without stalling others.

import { JSONValue } from "../lib/json";
import { ok, readJSON } from "../lib/abi";
export { alloc, dealloc } from "../lib/abi";

// A global the loop writes, so no optimizer may drop the loop as side-effect free.
let spins: u64 = 0;

/** Loops forever. */
export function spin(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  while (true) spins++;
  return 0;
}

/** Answers at once; shows the actor works until it is asked to spin. */
export function ping(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  return ok(readJSON(statePtr, stateLen), JSONValue.string("pong"));
}
