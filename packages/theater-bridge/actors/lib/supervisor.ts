// Interface theater:simple/supervisor (handler "supervisor").

import { JSONValue } from "./json";
import { HostReply, decodeReply, encode } from "./host";

@external("theater:simple/supervisor", "spawn")
declare function spawn_(ptr: usize, len: usize): u64;
@external("theater:simple/supervisor", "stop")
declare function stop_(ptr: usize, len: usize): u64;
@external("theater:simple/supervisor", "restart")
declare function restart_(ptr: usize, len: usize): u64;
@external("theater:simple/supervisor", "list")
declare function list_(ptr: usize, len: usize): u64;

/** Spawns a child; `request` is `{manifest, state?, params?, restart?}`; answers `{actorId}`. */
export function spawn(request: JSONValue): HostReply {
  const input = encode(request);
  return decodeReply(spawn_(changetype<usize>(input), input.byteLength));
}

/** Stops one of this actor's children. */
export function stop(actorId: string): HostReply {
  const input = encode(JSONValue.object().set("actorId", JSONValue.string(actorId)));
  return decodeReply(stop_(changetype<usize>(input), input.byteLength));
}

/** Restarts one of this actor's children from its initial state. */
export function restart(actorId: string): HostReply {
  const input = encode(JSONValue.object().set("actorId", JSONValue.string(actorId)));
  return decodeReply(restart_(changetype<usize>(input), input.byteLength));
}

/** This actor's children: `{children: [{actorId, name, status}]}`. */
export function list(): HostReply {
  const input = encode(JSONValue.object());
  return decodeReply(list_(changetype<usize>(input), input.byteLength));
}
