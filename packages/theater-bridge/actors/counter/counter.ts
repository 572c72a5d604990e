// Counter: keeps `count` in its state across calls, answers message-server requests, and can ask
// another actor something (to exercise message-server between actors).

import { JSONValue } from "../lib/json";
import { ok, fail, readJSON } from "../lib/abi";
import { request } from "../lib/message";
import { log } from "../lib/runtime";
export { alloc, dealloc } from "../lib/abi";

function add(state: JSONValue, by: f64): f64 {
  const count = state.getNumber("count", 0) + by;
  state.set("count", JSONValue.number(count));
  return count;
}

/** Adds `by` (default 1) to the count; returns the new count. */
export function increment(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  return ok(state, JSONValue.number(add(state, params.getNumber("by", 1))));
}

/** Returns the count without changing it. */
export function get(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  return ok(state, JSONValue.number(state.getNumber("count", 0)));
}

/** A handled error: the caller gets the message and the actor keeps running. */
export function refuse(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  return fail("counter refuses on purpose");
}

/** Logs a line through the runtime handler. */
export function note(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  log(params.getString("message", ""));
  return ok(state, null);
}

/** Returns `size` characters, to move a payload larger than the host's shared reply buffer. */
export function blob(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  return ok(state, JSONValue.string("x".repeat(<i32>params.getNumber("size", 0))));
}

/** message-server request: `{from, data: {by?}}` adds `by` and returns the new count and who asked. */
export function handle_request(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const data = params.get("data");
  const by = data == null ? 1 : data.getNumber("by", 1);
  const reply = JSONValue.object()
    .set("count", JSONValue.number(add(state, by)))
    .set("from", JSONValue.string(params.getString("from", "")));
  return ok(state, reply);
}

/** message-server send: `{from, data: {by?}}` adds `by`. */
export function handle_send(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const data = params.get("data");
  add(state, data == null ? 1 : data.getNumber("by", 1));
  return ok(state, null);
}

/** Asks actor `to` (through message-server request) with `data`; returns its answer. */
export function ask(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const data = params.get("data");
  const reply = request(params.getString("to", ""), data == null ? JSONValue.object() : data);
  if (!reply.ok) return fail("ask failed: " + reply.code + ": " + reply.message);
  state.set("asked", JSONValue.number(state.getNumber("asked", 0) + 1));
  return ok(state, reply.result);
}
