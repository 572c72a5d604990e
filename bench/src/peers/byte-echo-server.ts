/** A plain TCP echo server (bytes in, same bytes out) for the TCP handler scenario. */
import { type AddressInfo, createServer } from 'node:net';
import { exitWhenOrphaned, sendReady } from './peer-support.js';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('error', () => socket.destroy());
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
exitWhenOrphaned(() => new Promise((resolve) => server.close(() => resolve())));
sendReady((server.address() as AddressInfo).port);
