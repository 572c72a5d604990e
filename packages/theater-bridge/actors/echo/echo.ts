// TCP echo server: listens through `tcp.listen`, activates each accepted connection in active mode,
// and sends every chunk it is pushed (`tcp.on-data`) straight back with `tcp.send`.
// The tcp-handler calls this actor's exports as commands under the prefix `<self>.tcp`:
// `actor.<id>.tcp.handle-connection`, `actor.<id>.tcp.on-data`, `actor.<id>.tcp.on-close`.

import { JSONValue } from "../lib/json";
import { ok, fail, readJSON } from "../lib/abi";
import { self } from "../lib/runtime";
import { listen, activate, send, closeListener } from "../lib/tcp";
export { alloc, dealloc } from "../lib/abi";

/** Params `{host?, port?}`: starts listening; answers `{host, port}`. */
export function init(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const me = self();
  if (!me.ok) return fail("self failed: " + me.message);
  const prefix = me.result.getString("commandPrefix", "") + ".tcp";
  const reply = listen(
    JSONValue.object()
      .set("host", JSONValue.string(params.getString("host", "127.0.0.1")))
      .set("port", JSONValue.number(params.getNumber("port", 0)))
      .set("prefix", JSONValue.string(prefix)),
  );
  if (!reply.ok) return fail("listen failed: " + reply.code + ": " + reply.message);
  state.set("prefix", JSONValue.string(prefix));
  state.set("listenerId", JSONValue.string(reply.result.getString("listenerId", "")));
  state.set("port", JSONValue.number(reply.result.getNumber("port", 0)));
  state.set("connections", JSONValue.number(0));
  state.set("echoed", JSONValue.number(0));
  state.set("closed", JSONValue.number(0));
  return ok(state, JSONValue.object().set("port", JSONValue.number(reply.result.getNumber("port", 0))));
}

/** A listener accepted a connection (pending): activate it in active mode so data is pushed to us. */
export function tcp__handle_connection(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const reply = activate(
    JSONValue.object()
      .set("connectionId", JSONValue.string(params.getString("connectionId", "")))
      .set("mode", JSONValue.string("active"))
      .set("prefix", JSONValue.string(state.getString("prefix", ""))),
  );
  if (!reply.ok) return fail("activate failed: " + reply.code + ": " + reply.message);
  state.set("connections", JSONValue.number(state.getNumber("connections", 0) + 1));
  return ok(state, null);
}

/** One chunk from a client: send it back unchanged (it stays base64 end to end). */
export function tcp__on_data(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const params = readJSON(paramsPtr, paramsLen);
  const reply = send(params.getString("connectionId", ""), params.getString("data", ""));
  if (!reply.ok) return fail("send failed: " + reply.code + ": " + reply.message);
  state.set("echoed", JSONValue.number(state.getNumber("echoed", 0) + reply.result.getNumber("bytes", 0)));
  return ok(state, null);
}

/** A client went away. */
export function tcp__on_close(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  state.set("closed", JSONValue.number(state.getNumber("closed", 0) + 1));
  return ok(state, null);
}

/** Where the server listens and what it has done: the state. */
export function stats(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  return ok(state, state);
}

/** Stops listening. */
export function stop_listening(statePtr: usize, stateLen: usize, paramsPtr: usize, paramsLen: usize): u64 {
  const state = readJSON(statePtr, stateLen);
  const reply = closeListener(state.getString("listenerId", ""));
  if (!reply.ok) return fail("close-listener failed: " + reply.message);
  return ok(state, null);
}
