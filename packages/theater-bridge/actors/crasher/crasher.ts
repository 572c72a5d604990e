// Crasher: a child for the supervisor tests. `crash` traps (a failure), `exit` shuts down cleanly
// (a normal exit), `ping` answers with the state (a restart begins again from the initial state),
// `exit-then-crash` asks to exit and then traps in the same call.

import { JSONValue } from "../lib/json";
import { ok, readJSON } from "../lib/abi";
import { shutdown } from "../lib/runtime";
export { alloc, dealloc } from "../lib/abi";

/** The runtime calls `init` at spawn and at every restart, each time on the initial state. */
export function init(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  state.set("inits", JSONValue.number(state.getNumber("inits", 0) + 1));
  return ok(state, null);
}

/** Traps. */
export function crash(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  unreachable();
  return 0;
}

/** Asks the runtime to stop this actor normally. */
export function exit(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  shutdown("asked to exit");
  return ok(state, null);
}

/** Returns the state. */
export function ping(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  return ok(state, state);
}

/** Asks to exit, then traps in the same call: the failure wins, and the exit request dies with the instance. */
export function exit_then_crash(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  shutdown("asked to exit, then crashed");
  unreachable();
  return 0;
}
