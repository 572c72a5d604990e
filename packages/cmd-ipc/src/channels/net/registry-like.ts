import type { CommandChannel } from '../channel.js';

/** The one registry method a hub or client needs to hand over its channels. */
export interface RegistryLike {
  registerChannel(channel: CommandChannel): Promise<void>;
}
