// Reading the host's reply to an import call: `{"ok":true,"result":…}` or `{"ok":false,"error":{code,message}}`.

import { JSONValue, parse } from "./json";

/** What a host function answered. */
export class HostReply {
  ok: bool = false;
  result: JSONValue = JSONValue.null();
  code: string = "";
  message: string = "";
}

/** UTF-8 bytes of `value`'s JSON, ready to pass to an import as (pointer, length). */
export function encode(value: JSONValue): ArrayBuffer {
  return String.UTF8.encode(value.stringify());
}

/** Decodes a packed reply the host wrote with `alloc`, then frees it (ownership passed to us). */
export function decodeReply(packed: u64): HostReply {
  const ptr = <usize>(packed >> 32);
  const len = <usize>(packed & 0xffffffff);
  const doc = parse(String.UTF8.decodeUnsafe(ptr, len));
  heap.free(ptr);
  const reply = new HostReply();
  reply.ok = doc.getBool("ok", false);
  const result = doc.get("result");
  if (result != null) reply.result = result;
  const error = doc.get("error");
  if (error != null) {
    reply.code = error.getString("code", "internal_error");
    reply.message = error.getString("message", "");
  }
  return reply;
}
