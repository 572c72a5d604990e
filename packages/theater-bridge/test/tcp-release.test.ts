import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { registerTcpHandler } from '@cmd-ipc/tcp-handler';
import { manifestOf, startTheater } from './helpers.js';

/** A port that was free a moment ago on 127.0.0.1 (the test then binds it through the actor). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Connects, sends `text`, resolves with the echo; the socket is returned for later checks. */
async function echoOnce(port: number, text: string): Promise<{ socket: Socket; echoed: string }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(text);
  const echoed = await new Promise<string>((resolve, reject) => {
    let got = '';
    const timer = setTimeout(() => reject(new Error(`no echo of ${text} within 10 s`)), 10_000);
    socket.on('data', (chunk) => {
      got += chunk.toString();
      if (got.length >= text.length) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
  return { socket, echoed };
}

describe('tcp resources of an ended instance', () => {
  it('are released (tcp.release as the actor), so a restarted echo actor can listen on the same port, and a stopped one frees it', async () => {
    const t = await startTheater();
    const tcp = await registerTcpHandler(t.registry);
    const sockets: Socket[] = [];
    try {
      const port = await freePort();
      const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('echo'), params: { port } });
      const first = await echoOnce(port, 'before restart');
      sockets.push(first.socket);
      expect(first.echoed).toBe('before restart');

      const closed = new Promise<void>((resolve) => first.socket.once('close', () => resolve()));
      await t.theater.runtime.restart(actorId, 'test restart');
      await closed; // the old instance's connection was closed by the release
      const second = await echoOnce(port, 'after restart');
      sockets.push(second.socket);
      expect(second.echoed).toBe('after restart');

      await t.theater.runtime.stop(actorId);
      expect(tcp.stats()).toMatchObject({ listeners: 0, connections: 0 });
      const refused = connect({ host: '127.0.0.1', port });
      sockets.push(refused);
      await expect(new Promise((_, reject) => refused.once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await tcp.dispose();
      await t.close();
    }
  });
});
