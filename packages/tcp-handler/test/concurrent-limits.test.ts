import { afterEach, describe, expect, it } from 'vitest';
import { tcpErrorReason } from '../src/index.js';
import { harness, type Harness } from './fixtures/harness.js';

describe('limits under concurrent calls', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('concurrent listens cannot exceed the per-owner and per-handler listener limits', async () => {
    h = await harness({ maxListenersPerOwner: 1, maxListeners: 2 });
    const alice = h.as('alice');
    const mine = await Promise.allSettled([0, 1, 2].map(() => alice.listen({ host: '127.0.0.1', port: 0 })));
    expect(mine.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of mine) if (r.status === 'rejected') expect(tcpErrorReason(r.reason)).toBe('limit_reached');
    const others = await Promise.allSettled(['bob', 'carol', 'dave'].map((who) => h!.as(who).listen({ host: '127.0.0.1', port: 0 })));
    expect(others.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(h.handler.stats().listeners).toBe(2);
  });
});
