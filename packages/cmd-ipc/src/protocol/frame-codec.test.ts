import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameError } from './frame-codec.js';

describe('frame codec', () => {
  it('writes a 4-byte big-endian length then UTF-8 JSON', () => {
    const frame = encodeFrame({ a: 'é' });
    const body = Buffer.from('{"a":"é"}', 'utf8');
    expect(frame.readUInt32BE(0)).toBe(body.length);
    expect(frame.subarray(4).equals(body)).toBe(true);
  });

  it('decodes frames split at every byte boundary and several frames in one chunk', () => {
    const values = [{ n: 1 }, { s: 'two' }, [3], 'four'];
    const bytes = Buffer.concat(values.map((v) => encodeFrame(v)));
    for (let split = 0; split <= bytes.length; split++) {
      const decoder = new FrameDecoder();
      const out = [...decoder.push(bytes.subarray(0, split)), ...decoder.push(bytes.subarray(split))];
      expect(out).toEqual(values);
    }
    const oneByOne = new FrameDecoder();
    const out: unknown[] = [];
    for (const byte of bytes) out.push(...oneByOne.push(Buffer.from([byte])));
    expect(out).toEqual(values);
    expect(oneByOne.pendingBytes).toBe(0);
  });

  it('refuses an oversized frame from its header, before buffering the body', () => {
    const decoder = new FrameDecoder(1024);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025, 0);
    expect(() => decoder.push(header)).toThrow(FrameError);
    expect(() => new FrameDecoder(1024).push(header)).toThrow(/1025 bytes exceeds the maximum of 1024/);
    expect(() => encodeFrame('x'.repeat(2000), 1024)).toThrow(/exceeds the maximum/);
  });

  it('reports a body that is not JSON as frame_malformed', () => {
    const body = Buffer.from('{not json', 'utf8');
    const frame = Buffer.concat([Buffer.alloc(4), body]);
    frame.writeUInt32BE(body.length, 0);
    try {
      new FrameDecoder().push(frame);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FrameError);
      expect((error as FrameError).code).toBe('frame_malformed');
    }
  });
});
