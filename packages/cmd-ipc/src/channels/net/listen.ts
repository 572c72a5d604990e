import type { AddressInfo, Server } from 'node:net';

/** Starts `server` listening (default 127.0.0.1, any free port); rejects with the listen error (e.g. EADDRINUSE). */
export function listenOn(server: Server, port: number | undefined, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The address `server` is bound to; throws naming `what` when it is not listening. */
export function boundAddress(server: Server | undefined, what: string): AddressInfo {
  const address = server?.address();
  if (address === null || address === undefined || typeof address === 'string') throw new Error(`${what} is not listening`);
  return address;
}
