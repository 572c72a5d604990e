// Interface theater:simple/store (handler "store").

import { JSONValue } from "./json";
import { HostReply, decodeReply, encode } from "./host";

@external("theater:simple/store", "put")
declare function put_(ptr: usize, len: usize): u64;
@external("theater:simple/store", "get")
declare function get_(ptr: usize, len: usize): u64;
@external("theater:simple/store", "label")
declare function label_(ptr: usize, len: usize): u64;

/** Stores UTF-8 text; answers `{hash, size}`. */
export function put(text: string): HostReply {
  const input = encode(JSONValue.object().set("data", JSONValue.string(text)));
  return decodeReply(put_(changetype<usize>(input), input.byteLength));
}

/** The text stored under `hash`: `{data, encoding, size}`. */
export function get(hash: string): HostReply {
  const input = encode(JSONValue.object().set("hash", JSONValue.string(hash)));
  return decodeReply(get_(changetype<usize>(input), input.byteLength));
}

/** Points `name` at `hash`. */
export function label(name: string, hash: string): HostReply {
  const input = encode(JSONValue.object().set("label", JSONValue.string(name)).set("hash", JSONValue.string(hash)));
  return decodeReply(label_(changetype<usize>(input), input.byteLength));
}
