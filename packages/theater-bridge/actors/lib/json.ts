// A small JSON value type, parser and serializer for AssemblyScript actors.
// Actors exchange every payload with the host as UTF-8 JSON, and AssemblyScript has no JSON in its
// standard library, so this is the one place that knows the grammar (RFC 8259).

export const enum Kind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

/** One JSON value; objects keep their keys in insertion order. */
export class JSONValue {
  kind: Kind = Kind.Null;
  boolValue: bool = false;
  numberValue: f64 = 0;
  stringValue: string = "";
  items: Array<JSONValue> = [];
  keys: Array<string> = [];
  values: Array<JSONValue> = [];

  /** The JSON `null`. */
  static null(): JSONValue {
    return new JSONValue();
  }

  /** A JSON boolean. */
  static bool(value: bool): JSONValue {
    const v = new JSONValue();
    v.kind = Kind.Bool;
    v.boolValue = value;
    return v;
  }

  /** A JSON number. */
  static number(value: f64): JSONValue {
    const v = new JSONValue();
    v.kind = Kind.Number;
    v.numberValue = value;
    return v;
  }

  /** A JSON string. */
  static string(value: string): JSONValue {
    const v = new JSONValue();
    v.kind = Kind.String;
    v.stringValue = value;
    return v;
  }

  /** An empty JSON array. */
  static array(): JSONValue {
    const v = new JSONValue();
    v.kind = Kind.Array;
    return v;
  }

  /** An empty JSON object. */
  static object(): JSONValue {
    const v = new JSONValue();
    v.kind = Kind.Object;
    return v;
  }

  /** The member `key` of an object, or null when absent or not an object. */
  get(key: string): JSONValue | null {
    if (this.kind != Kind.Object) return null;
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] == key) return this.values[i];
    }
    return null;
  }

  /** Sets (or replaces) the member `key` of an object; returns this for chaining. */
  set(key: string, value: JSONValue): JSONValue {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] == key) {
        this.values[i] = value;
        return this;
      }
    }
    this.keys.push(key);
    this.values.push(value);
    return this;
  }

  /** Appends to an array; returns this for chaining. */
  push(value: JSONValue): JSONValue {
    this.items.push(value);
    return this;
  }

  /** The number member `key`, or `fallback` when absent or not a number. */
  getNumber(key: string, fallback: f64): f64 {
    const v = this.get(key);
    if (v == null || v.kind != Kind.Number) return fallback;
    return v.numberValue;
  }

  /** The string member `key`, or `fallback` when absent or not a string. */
  getString(key: string, fallback: string): string {
    const v = this.get(key);
    if (v == null || v.kind != Kind.String) return fallback;
    return v.stringValue;
  }

  /** The boolean member `key`, or `fallback` when absent or not a boolean. */
  getBool(key: string, fallback: bool): bool {
    const v = this.get(key);
    if (v == null || v.kind != Kind.Bool) return fallback;
    return v.boolValue;
  }

  /** This value as compact JSON text. */
  stringify(): string {
    const parts = new Array<string>();
    write(this, parts);
    return parts.join("");
  }
}

function write(v: JSONValue, out: Array<string>): void {
  switch (v.kind) {
    case Kind.Null:
      out.push("null");
      break;
    case Kind.Bool:
      out.push(v.boolValue ? "true" : "false");
      break;
    case Kind.Number:
      out.push(formatNumber(v.numberValue));
      break;
    case Kind.String:
      out.push(quote(v.stringValue));
      break;
    case Kind.Array: {
      out.push("[");
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) out.push(",");
        write(v.items[i], out);
      }
      out.push("]");
      break;
    }
    default: {
      out.push("{");
      for (let i = 0; i < v.keys.length; i++) {
        if (i > 0) out.push(",");
        out.push(quote(v.keys[i]));
        out.push(":");
        write(v.values[i], out);
      }
      out.push("}");
    }
  }
}

// Integers print without a fraction, as JSON readers on the host expect; JSON has no NaN or Infinity.
function formatNumber(n: f64): string {
  if (!isFinite(n)) return "null";
  if (n == Math.floor(n) && Math.abs(n) < 9007199254740992.0) return (<i64>n).toString();
  return n.toString();
}

const HEX = "0123456789abcdef";

/** `s` as a JSON string literal. */
export function quote(s: string): string {
  const parts = new Array<string>();
  parts.push('"');
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22 || c == 0x5c || c < 0x20) {
      if (i > start) parts.push(s.substring(start, i));
      if (c == 0x22) parts.push('\\"');
      else if (c == 0x5c) parts.push("\\\\");
      else if (c == 0x0a) parts.push("\\n");
      else if (c == 0x0d) parts.push("\\r");
      else if (c == 0x09) parts.push("\\t");
      else parts.push("\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 15));
      start = i + 1;
    }
  }
  if (start < s.length) parts.push(s.substring(start));
  parts.push('"');
  return parts.join("");
}

/** Parses JSON text; a malformed document aborts the call (the host records a trap). */
export function parse(text: string): JSONValue {
  const p = new Parser(text);
  p.skipSpace();
  const v = p.value();
  p.skipSpace();
  if (p.pos != text.length) throw new Error("json: trailing characters");
  return v;
}

class Parser {
  pos: i32 = 0;
  constructor(public text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
      this.pos++;
    }
  }

  expect(literal: string): void {
    if (this.text.substr(this.pos, literal.length) != literal) throw new Error("json: expected " + literal);
    this.pos += literal.length;
  }

  value(): JSONValue {
    if (this.pos >= this.text.length) throw new Error("json: unexpected end");
    const c = this.text.charCodeAt(this.pos);
    if (c == 0x7b) return this.object();
    if (c == 0x5b) return this.array();
    if (c == 0x22) return JSONValue.string(this.string());
    if (c == 0x74) {
      this.expect("true");
      return JSONValue.bool(true);
    }
    if (c == 0x66) {
      this.expect("false");
      return JSONValue.bool(false);
    }
    if (c == 0x6e) {
      this.expect("null");
      return JSONValue.null();
    }
    return this.number();
  }

  object(): JSONValue {
    const v = JSONValue.object();
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) == 0x7d) {
      this.pos++;
      return v;
    }
    while (true) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) != 0x22) throw new Error("json: expected a key");
      const key = this.string();
      this.skipSpace();
      this.expect(":");
      this.skipSpace();
      v.keys.push(key);
      v.values.push(this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c == 0x7d) return v;
      if (c != 0x2c) throw new Error("json: expected , or }");
    }
  }

  array(): JSONValue {
    const v = JSONValue.array();
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) == 0x5d) {
      this.pos++;
      return v;
    }
    while (true) {
      this.skipSpace();
      v.items.push(this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c == 0x5d) return v;
      if (c != 0x2c) throw new Error("json: expected , or ]");
    }
  }

  string(): string {
    this.pos++; // opening quote
    const parts = new Array<string>();
    let start = this.pos;
    while (true) {
      if (this.pos >= this.text.length) throw new Error("json: unterminated string");
      const c = this.text.charCodeAt(this.pos);
      if (c == 0x22) {
        if (this.pos > start) parts.push(this.text.substring(start, this.pos));
        this.pos++;
        return parts.join("");
      }
      if (c == 0x5c) {
        if (this.pos > start) parts.push(this.text.substring(start, this.pos));
        const e = this.text.charCodeAt(this.pos + 1);
        this.pos += 2;
        if (e == 0x6e) parts.push("\n");
        else if (e == 0x74) parts.push("\t");
        else if (e == 0x72) parts.push("\r");
        else if (e == 0x62) parts.push("\b");
        else if (e == 0x66) parts.push("\f");
        else if (e == 0x75) {
          // \uXXXX: AssemblyScript strings are UTF-16, so a surrogate pair is just two code units.
          const code = <i32>parseInt(this.text.substr(this.pos, 4), 16);
          parts.push(String.fromCharCode(code));
          this.pos += 4;
        } else parts.push(String.fromCharCode(e));
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  number(): JSONValue {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      const numeric = (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2b || c == 0x2e || c == 0x65 || c == 0x45;
      if (!numeric) break;
      this.pos++;
    }
    if (this.pos == start) throw new Error("json: unexpected character");
    return JSONValue.number(parseFloat(this.text.substring(start, this.pos)));
  }
}
