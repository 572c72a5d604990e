// Interface theater:simple/tcp (handler "tcp"): each function is the tcp-handler command of the same
// name (`tcp.listen`, `tcp.activate`, …), executed through the mesh with this actor as caller.

import { JSONValue } from "./json";
import { HostReply, decodeReply, encode } from "./host";

@external("theater:simple/tcp", "listen")
declare function listen_(ptr: usize, len: usize): u64;
@external("theater:simple/tcp", "activate")
declare function activate_(ptr: usize, len: usize): u64;
@external("theater:simple/tcp", "send")
declare function send_(ptr: usize, len: usize): u64;
@external("theater:simple/tcp", "close")
declare function close_(ptr: usize, len: usize): u64;
@external("theater:simple/tcp", "close-listener")
declare function closeListener_(ptr: usize, len: usize): u64;

/** `tcp.listen`: `{host, port, prefix?}` → `{listenerId, host, port}`. */
export function listen(request: JSONValue): HostReply {
  const input = encode(request);
  return decodeReply(listen_(changetype<usize>(input), input.byteLength));
}

/** `tcp.activate`: `{connectionId, mode?, prefix?}` → `{connectionId, mode}`. */
export function activate(request: JSONValue): HostReply {
  const input = encode(request);
  return decodeReply(activate_(changetype<usize>(input), input.byteLength));
}

/** `tcp.send`: `{connectionId, data}` (base64) → `{bytes}`. */
export function send(connectionId: string, base64: string): HostReply {
  const input = encode(
    JSONValue.object().set("connectionId", JSONValue.string(connectionId)).set("data", JSONValue.string(base64)),
  );
  return decodeReply(send_(changetype<usize>(input), input.byteLength));
}

/** `tcp.close`: `{connectionId}`. */
export function close(connectionId: string): HostReply {
  const input = encode(JSONValue.object().set("connectionId", JSONValue.string(connectionId)));
  return decodeReply(close_(changetype<usize>(input), input.byteLength));
}

/** `tcp.close-listener`: `{listenerId}`. */
export function closeListener(listenerId: string): HostReply {
  const input = encode(JSONValue.object().set("listenerId", JSONValue.string(listenerId)));
  return decodeReply(closeListener_(changetype<usize>(input), input.byteLength));
}
