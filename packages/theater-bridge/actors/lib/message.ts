// Interface theater:simple/message-server-host (handler "message-server").

import { JSONValue } from "./json";
import { HostReply, decodeReply, encode } from "./host";

@external("theater:simple/message-server-host", "send")
declare function send_(ptr: usize, len: usize): u64;
@external("theater:simple/message-server-host", "request")
declare function request_(ptr: usize, len: usize): u64;

/** Delivers `data` to actor `to` (its `handle-send` export) without waiting for it to run. */
export function send(to: string, data: JSONValue): HostReply {
  const input = encode(JSONValue.object().set("to", JSONValue.string(to)).set("data", data));
  return decodeReply(send_(changetype<usize>(input), input.byteLength));
}

/** Calls actor `to`'s `handle-request` export with `data` and returns its result. */
export function request(to: string, data: JSONValue): HostReply {
  const input = encode(JSONValue.object().set("to", JSONValue.string(to)).set("data", data));
  return decodeReply(request_(changetype<usize>(input), input.byteLength));
}
