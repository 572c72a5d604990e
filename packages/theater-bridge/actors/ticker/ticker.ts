// Ticker: exercises the timer and store handlers. At init it notes the time and starts an interval;
// each tick counts; at the target it cancels the timer, stores a summary (content-addressed),
// labels it, and shuts down. `fetch` reads an object back from the store.

import { JSONValue } from "../lib/json";
import { ok, fail, readJSON } from "../lib/abi";
import { now, setInterval, cancel } from "../lib/timer";
import { put, get, label } from "../lib/store";
import { shutdown } from "../lib/runtime";
export { alloc, dealloc } from "../lib/abi";

/** Params `{intervalMs, target}`. */
export function init(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const clock = now();
  if (!clock.ok) return fail("now failed: " + clock.message);
  const timer = setInterval(params.getNumber("intervalMs", 20), "tick");
  if (!timer.ok) return fail("set-interval failed: " + timer.message);
  state.set("startedAt", JSONValue.number(clock.result.getNumber("now", 0)));
  state.set("timerId", JSONValue.string(timer.result.getString("timerId", "")));
  state.set("target", JSONValue.number(params.getNumber("target", 3)));
  state.set("ticks", JSONValue.number(0));
  return ok(state, null);
}

/** One tick: count; at the target, store a summary under a label and shut down. */
export function handle_tick(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const ticks = state.getNumber("ticks", 0) + 1;
  state.set("ticks", JSONValue.number(ticks));
  if (ticks < state.getNumber("target", 3)) return ok(state, null);
  cancel(state.getString("timerId", ""));
  const summary = JSONValue.object().set("ticks", JSONValue.number(ticks)).set("startedAt", state.get("startedAt")!);
  const stored = put(summary.stringify());
  if (!stored.ok) return fail("put failed: " + stored.message);
  const hash = stored.result.getString("hash", "");
  const labelled = label("ticker/summary", hash);
  if (!labelled.ok) return fail("label failed: " + labelled.message);
  state.set("summaryHash", JSONValue.string(hash));
  shutdown("reached its target");
  return ok(state, null);
}

/** Params `{hash}`: reads the object back and answers its size and first characters. */
export function fetch(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const reply = get(params.getString("hash", ""));
  if (!reply.ok) return fail("get failed: " + reply.code + ": " + reply.message);
  const data = reply.result.getString("data", "");
  const answer = JSONValue.object()
    .set("length", JSONValue.number(data.length))
    .set("head", JSONValue.string(data.substring(0, 16)));
  return ok(state, answer);
}
