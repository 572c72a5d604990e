import { connectToHub, type HubSession } from '../connection/connect.js';
import type { ConnectSettings } from '../options.js';

/** Connects to the hub, runs `fn`, and always closes the link after. */
export async function withSession<T>(settings: ConnectSettings, fn: (session: HubSession) => Promise<T>): Promise<T> {
  const session = await connectToHub({
    address: settings.address,
    secret: settings.secret,
    timeoutMs: settings.timeoutMs,
    ...(settings.identity === undefined ? {} : { identity: settings.identity }),
  });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
