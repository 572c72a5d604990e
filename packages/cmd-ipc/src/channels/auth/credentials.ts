import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChannelPermissions } from '../channel.js';

/** A secret as text or bytes. */
export type Secret = string | Uint8Array;

/** What a connecting peer proves: who it claims to be, and the secret that goes with it. */
export interface PeerCredentials {
  /** The identity to claim: 1-128 characters of letters, digits and `._:@-` (no `/`: it separates caller sub-paths). */
  identity: string;
  /** The shared secret (never sent; only an HMAC over the server's nonce is). */
  secret: Secret;
}

/** One identity a hub knows. */
export interface IdentityEntry {
  secret: Secret;
  /** What this identity may execute or register through the hub; absent means everything. */
  permissions?: ChannelPermissions;
}

/**
 * How a hub authenticates peers. Give `identities` (a secret per identity), or `secret` (one secret
 * every peer shares, so a peer may claim any identity), or both (listed identities use their own).
 */
export interface HubAuthOptions {
  /** One secret shared by every peer not listed in `identities`. */
  secret?: Secret;
  /** A secret and optional permissions per identity. */
  identities?: Readonly<Record<string, IdentityEntry>>;
  /** Permissions for peers that authenticated with the shared `secret`. */
  permissions?: ChannelPermissions;
}

const IDENTITY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** True when `identity` is a well-formed identity. */
export function isValidIdentity(identity: unknown): identity is string {
  return typeof identity === 'string' && IDENTITY_PATTERN.test(identity);
}

/** Throws a RangeError naming what is wrong with a hub's auth config. */
export function validateHubAuth(auth: HubAuthOptions): void {
  const identities = Object.entries(auth.identities ?? {});
  if (auth.secret === undefined && identities.length === 0) {
    throw new RangeError('hub auth needs a shared `secret` or at least one entry in `identities`');
  }
  if (auth.secret !== undefined && secretLength(auth.secret) === 0) throw new RangeError('hub auth `secret` is empty');
  for (const [identity, entry] of identities) {
    if (!isValidIdentity(identity)) throw new RangeError(`hub auth identity "${identity}" is not a valid identity`);
    if (secretLength(entry.secret) === 0) throw new RangeError(`hub auth secret for identity "${identity}" is empty`);
  }
}

/** Throws a RangeError naming what is wrong with a client's credentials. */
export function validateCredentials(credentials: PeerCredentials): void {
  if (!isValidIdentity(credentials.identity)) {
    throw new RangeError(`identity "${credentials.identity}" is not valid: use 1-128 characters of letters, digits and ._:@-`);
  }
  if (secretLength(credentials.secret) === 0) throw new RangeError(`the secret for identity "${credentials.identity}" is empty`);
}

/** A fresh random nonce, as text. */
export function makeNonce(): string {
  return randomBytes(32).toString('base64url');
}

/** The client's answer: HMAC-SHA256(secret, serverNonce + identity). */
export function clientMac(secret: Secret, serverNonce: string, identity: string): string {
  return createHmac('sha256', secret).update(serverNonce + identity, 'utf8').digest('base64url');
}

/**
 * The server's proof that it knows the secret too: HMAC-SHA256(secret, "server" + clientNonce + identity).
 * The "server" prefix keeps it from ever equalling a client MAC (a nonce is base64url, never "server…").
 */
export function serverProof(secret: Secret, clientNonce: string, identity: string): string {
  return createHmac('sha256', secret).update('server' + clientNonce + identity, 'utf8').digest('base64url');
}

/** Compares a received MAC with the expected one in constant time. */
export function macMatches(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'base64url');
  const b = Buffer.from(expected, 'base64url');
  if (a.length !== b.length) {
    // Lengths differ only for a malformed MAC; comparing the expected one with itself keeps the work the same.
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The secret and permissions a hub holds for `identity`, or undefined when it knows none. */
export function lookupIdentity(auth: HubAuthOptions, identity: string): IdentityEntry | undefined {
  if (auth.identities !== undefined && Object.hasOwn(auth.identities, identity)) return auth.identities[identity];
  if (auth.secret === undefined) return undefined;
  return auth.permissions === undefined ? { secret: auth.secret } : { secret: auth.secret, permissions: auth.permissions };
}

/** A secret used for unknown identities, so refusing one costs the same work as checking a real one. */
export const DECOY_SECRET: Secret = randomBytes(32);

function secretLength(secret: Secret): number {
  return typeof secret === 'string' ? secret.length : secret.byteLength;
}
