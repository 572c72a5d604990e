import { connect, type Socket } from 'node:net';

/** A real TCP client on 127.0.0.1 that collects what it receives. */
export interface EchoClient {
  socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves once everything received contains `text`; rejects after `timeoutMs`. */
  until(text: string, timeoutMs: number): Promise<void>;
  /** Resolves when the server side closes the connection; rejects after `timeoutMs`. */
  closedByServer(timeoutMs: number): Promise<void>;
}

/** Connects to `port` on 127.0.0.1. */
export async function connectEchoClient(port: number, timeoutMs: number): Promise<EchoClient> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP connection to 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to 127.0.0.1:${port}: ${error.message}`));
    });
  });
  let buffer = '';
  let ended = false;
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const waker of [...wakers]) waker();
  };
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    wake();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    ended = true;
    wake();
  });
  const waitFor = (done: () => boolean, what: () => string, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        wakers.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        wakers.delete(check);
        reject(new Error(what()));
      }, timeoutMs);
      wakers.add(check);
      check();
    });
  return {
    socket,
    received: () => buffer,
    until: (text, ms) => waitFor(() => buffer.includes(text), () => `did not receive ${JSON.stringify(text)} within ${ms} ms (got ${JSON.stringify(buffer)})`, ms),
    closedByServer: (ms) => waitFor(() => ended, () => `the connection to 127.0.0.1:${port} was still open after ${ms} ms`, ms),
  };
}
