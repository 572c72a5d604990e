import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerTcpCallbacks } from '../src/index.js';
import { harness, type Harness } from './fixtures/harness.js';
import { rawServer, type RawServer } from './fixtures/peers.js';
import { deferred, within } from './fixtures/wait.js';

const TEN_MB = 10 * 1024 * 1024;

describe('active mode flow control', () => {
  let h: Harness;
  let server: RawServer;
  beforeEach(async () => {
    h = await harness();
    server = await rawServer();
  });
  afterEach(async () => {
    await server.close();
    await h.dispose();
  });

  it('delivers 10 MB in order to a slow owner with bounded buffering', async () => {
    const payload = Buffer.alloc(TEN_MB);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32BE(i, i);
    const digest = createHash('sha256');
    let receivedBytes = 0;
    let deliveries = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    let pausedDuringEveryDelivery = true;
    let connectionId = '';
    const done = deferred();
    await registerTcpCallbacks(h.registry, 'slow.owner', {
      onData: async (_id, data) => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        // While a push is in flight the handler must not read the socket.
        if (h.handler.inspect(connectionId)?.socketPaused !== true) pausedDuringEveryDelivery = false;
        digest.update(data);
        receivedBytes += data.length;
        deliveries += 1;
        // The owner is deliberately slow: every chunk costs it a timer tick.
        await new Promise((resolve) => setTimeout(resolve, 1));
        concurrent -= 1;
        if (receivedBytes === TEN_MB) done.resolve();
      },
    });
    ({ connectionId } = await h.as('slow').connect({ host: '127.0.0.1', port: server.port, prefix: 'slow.owner' }));
    const peer = await server.nextSocket();
    peer.write(payload);
    await within(done.promise, 120_000, '10 MB at the owner');

    expect(digest.digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(maxConcurrent).toBe(1);
    expect(pausedDuringEveryDelivery).toBe(true);
    expect(deliveries).toBeGreaterThanOrEqual(TEN_MB / (64 * 1024));
    // Flow control, not memory, absorbed the difference in speed: the handler never held more than
    // a couple of socket reads, although the peer had 10 MB ready to go.
    const { peakBufferedBytes, bufferedBytes } = h.handler.stats();
    expect(bufferedBytes).toBe(0);
    expect(peakBufferedBytes).toBeLessThanOrEqual(512 * 1024);
  });
});
