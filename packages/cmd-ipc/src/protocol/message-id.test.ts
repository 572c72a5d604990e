import { describe, expect, it } from 'vitest';
import { MessageIdSource, newMessageId } from './message-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('message ids', () => {
  it('are UUIDv4-format strings, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const id = newMessageId();
      expect(id).toMatch(UUID_V4);
      seen.add(id);
    }
    expect(seen.size).toBe(100_000);
  });

  it('two sources (two processes) do not collide', () => {
    const a = new MessageIdSource();
    const b = new MessageIdSource();
    const fromA = new Set(Array.from({ length: 10_000 }, () => a.next()));
    for (let i = 0; i < 10_000; i++) expect(fromA.has(b.next())).toBe(false);
  });
});
