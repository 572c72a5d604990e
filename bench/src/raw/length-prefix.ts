/** Encodes a value as a 4-byte big-endian length and its JSON: the byte-stream floor's framing. */
export function encodeLengthPrefixed(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Splits a byte stream into length-prefixed JSON values; a minimal decoder with no limits (floor only). */
export class LengthPrefixedReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk and calls `onValue` for each complete value. */
  push(chunk: Buffer, onValue: (value: unknown) => void): void {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (buffer.length - offset >= 4) {
      const length = buffer.readUInt32BE(offset);
      if (buffer.length - offset - 4 < length) break;
      onValue(JSON.parse(buffer.toString('utf8', offset + 4, offset + 4 + length)));
      offset += 4 + length;
    }
    buffer = buffer.subarray(offset);
    this.pending = buffer;
  }
}
