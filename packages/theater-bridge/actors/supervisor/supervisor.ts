// Supervisor: spawns a crashing child at init, hears of the child's failures and exits, and, when
// asked to supervise by hand (`manual`), restarts the child itself after a failure the runtime's
// policy did not restart.

import { JSONValue } from "../lib/json";
import { ok, fail, readJSON } from "../lib/abi";
import { spawn, restart, list, stop } from "../lib/supervisor";
export { alloc, dealloc } from "../lib/abi";

/**
 * Params `{manifest, restart?: {policy, maxRestarts?, periodMs?}, manual?: bool, maxManual?: number}`:
 * spawns the child and remembers its id.
 */
export function init(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const request = JSONValue.object().set("manifest", JSONValue.string(params.getString("manifest", "")));
  const policy = params.get("restart");
  if (policy != null) request.set("restart", policy);
  const reply = spawn(request);
  if (!reply.ok) return fail("spawn failed: " + reply.message);
  state.set("child", JSONValue.string(reply.result.getString("actorId", "")));
  state.set("manual", JSONValue.bool(params.getBool("manual", false)));
  state.set("maxManual", JSONValue.number(params.getNumber("maxManual", 1)));
  state.set("manualRestarts", JSONValue.number(0));
  state.set("notices", JSONValue.array());
  return ok(state, state.get("child"));
}

function notice(state: JSONValue, kind: string, params: JSONValue): void {
  const entry = JSONValue.object()
    .set("kind", JSONValue.string(kind))
    .set("childId", JSONValue.string(params.getString("childId", "")))
    .set("restarting", JSONValue.bool(params.getBool("restarting", false)));
  const notices = state.get("notices");
  if (notices != null) notices.push(entry);
}

/** The runtime reports a child's failure: `{childId, error, restarting}`. */
export function handle_child_error(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  notice(state, "error", params);
  const done = state.getNumber("manualRestarts", 0);
  const restarting = params.getBool("restarting", false);
  if (!restarting && state.getBool("manual", false) && done < state.getNumber("maxManual", 1)) {
    const reply = restart(params.getString("childId", ""));
    if (!reply.ok) return fail("restart failed: " + reply.message);
    state.set("manualRestarts", JSONValue.number(done + 1));
  }
  return ok(state, null);
}

/** The runtime reports a child's normal exit: `{childId, reason, restarting}`. */
export function handle_child_exit(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  notice(state, "exit", readJSON(paramsPtr, paramsLen));
  return ok(state, null);
}

/** The runtime's view of this actor's children. */
export function children(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const reply = list();
  if (!reply.ok) return fail(reply.message);
  return ok(state, reply.result);
}

/** Stops the child. */
export function stop_child(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const reply = stop(state.getString("child", ""));
  if (!reply.ok) return fail(reply.message);
  return ok(state, null);
}
