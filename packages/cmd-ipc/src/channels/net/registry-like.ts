import type { RegistryPort } from '../../registry/types.js';

/** The one registry method a hub or client needs to hand over its channels. */
export type RegistryLike = Pick<RegistryPort, 'registerChannel'>;
