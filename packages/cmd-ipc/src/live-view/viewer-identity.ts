import type { ChannelPermissions } from '../channels/channel.js';

/** The identity the live page authenticates as. */
export const VIEWER_IDENTITY = 'live-view';

/**
 * What the live page may do: run the hub's read-only management commands, and nothing else.
 * It may register nothing (an empty allow list), and the hub drops any event it sends.
 */
export const VIEWER_PERMISSIONS: ChannelPermissions = {
  execute: ['hub.topology', 'hub.list-commands', 'hub.describe', 'hub.events'],
  register: [],
};
