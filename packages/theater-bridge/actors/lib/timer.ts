// Interface theater:simple/timer (handler "timer").

import { JSONValue } from "./json";
import { HostReply, decodeReply, encode } from "./host";

@external("theater:simple/timer", "now")
declare function now_(ptr: usize, len: usize): u64;
@external("theater:simple/timer", "set-interval")
declare function setInterval_(ptr: usize, len: usize): u64;
@external("theater:simple/timer", "cancel")
declare function cancel_(ptr: usize, len: usize): u64;

/** The host's wall clock: `{now}` in epoch ms. */
export function now(): HostReply {
  const input = encode(JSONValue.object());
  return decodeReply(now_(changetype<usize>(input), input.byteLength));
}

/** Calls this actor's `handle-tick` every `intervalMs`; answers `{timerId}`. */
export function setInterval(intervalMs: f64, tag: string): HostReply {
  const input = encode(JSONValue.object().set("intervalMs", JSONValue.number(intervalMs)).set("tag", JSONValue.string(tag)));
  return decodeReply(setInterval_(changetype<usize>(input), input.byteLength));
}

/** Stops a timer. */
export function cancel(timerId: string): HostReply {
  const input = encode(JSONValue.object().set("timerId", JSONValue.string(timerId)));
  return decodeReply(cancel_(changetype<usize>(input), input.byteLength));
}
