// Interface theater:simple/runtime (handler "runtime").

import { JSONValue } from "./json";
import { HostReply, decodeReply, encode } from "./host";

@external("theater:simple/runtime", "log")
declare function log_(ptr: usize, len: usize): u64;
@external("theater:simple/runtime", "self")
declare function self_(ptr: usize, len: usize): u64;
@external("theater:simple/runtime", "shutdown")
declare function shutdown_(ptr: usize, len: usize): u64;

/** Writes a line to the runtime's log. */
export function log(message: string): HostReply {
  const input = encode(JSONValue.object().set("message", JSONValue.string(message)));
  return decodeReply(log_(changetype<usize>(input), input.byteLength));
}

/** Who this actor is: `{actorId, name, caller, parent?}`. */
export function self(): HostReply {
  const input = encode(JSONValue.object());
  return decodeReply(self_(changetype<usize>(input), input.byteLength));
}

/** Asks the runtime to stop this actor once the current call returns (a normal exit). */
export function shutdown(reason: string): HostReply {
  const input = encode(JSONValue.object().set("reason", JSONValue.string(reason)));
  return decodeReply(shutdown_(changetype<usize>(input), input.byteLength));
}
