/**
 * Byte-stream framing (PROTOCOL.md "Byte-stream framing"): a 4-byte unsigned big-endian length,
 * then that many bytes of UTF-8 JSON.
 */

/** Default largest frame a channel accepts: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Raised when a frame is larger than the channel's maximum or is not JSON. */
export class FrameError extends Error {
  readonly code: 'frame_too_large' | 'frame_malformed';

  constructor(code: 'frame_too_large' | 'frame_malformed', message: string) {
    super(message);
    this.code = code;
    this.name = 'FrameError';
  }
}

/** Encodes one value as a length-prefixed JSON frame; throws FrameError if it exceeds `maxBytes`. */
export function encodeFrame(value: unknown, maxBytes = DEFAULT_MAX_FRAME_BYTES): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  if (body.length > maxBytes) {
    throw new FrameError('frame_too_large', `outgoing frame of ${body.length} bytes exceeds the maximum of ${maxBytes}`);
  }
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/**
 * Incremental frame decoder. Feed it chunks as they arrive; it returns the decoded JSON values.
 * A length over the maximum throws FrameError before any of the body is buffered.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(private readonly maxBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Appends a chunk and returns every complete value it finished, in order. */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const values: unknown[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const header = this.take(4);
        this.expected = header.readUInt32BE(0);
        if (this.expected > this.maxBytes) {
          throw new FrameError('frame_too_large', `incoming frame of ${this.expected} bytes exceeds the maximum of ${this.maxBytes}`);
        }
      }
      if (this.buffered < this.expected) break;
      const body = this.take(this.expected);
      this.expected = -1;
      try {
        values.push(JSON.parse(body.toString('utf8')));
      } catch (error) {
        throw new FrameError('frame_malformed', `frame of ${body.length} bytes is not valid JSON: ${(error as Error).message}`);
      }
    }
    return values;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private take(n: number): Buffer {
    const whole = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const out = whole.subarray(0, n);
    const rest = whole.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}
