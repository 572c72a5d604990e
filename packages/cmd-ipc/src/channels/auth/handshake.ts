import type { ChannelPermissions } from '../channel.js';
import type { Link } from '../link/link.js';
import { TransportError } from '../link/transport-error.js';
import {
  DECOY_SECRET,
  type HubAuthOptions,
  type PeerCredentials,
  clientMac,
  isValidIdentity,
  lookupIdentity,
  macMatches,
  makeNonce,
  serverProof,
} from './credentials.js';

/**
 * The shared-secret challenge-response every network channel (WebSocket, TCP, NATS) runs before any
 * protocol message flows. Written once against `Link`:
 *
 *   hub  → peer  {$:"challenge", v:1, nonce, extensions}
 *   peer → hub   {$:"auth", v:1, identity, nonce, mac: HMAC(secret, hubNonce + identity), extensions}
 *   hub  → peer  {$:"accept", v:1, identity, proof: HMAC(secret, "server" + peerNonce + identity), extensions}
 *
 * A failure closes the link with a TransportError whose message says why (the transport carries it:
 * a WebSocket close code 4401, a TCP or NATS goodbye frame). The secret never crosses the wire.
 * These frames carry a `$` key, so a channel never mistakes one for a protocol message.
 */

/** The handshake version both sides must speak. */
export const HANDSHAKE_VERSION = 1;

/** Default time allowed for the whole handshake. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** What the hub learns about a peer that passed. */
export interface AcceptedPeer {
  identity: string;
  permissions?: ChannelPermissions;
  /** True when both sides speak the protocol extensions. */
  extensions: boolean;
}

/** What a client learns from a hub that accepted it. */
export interface AcceptedByHub {
  /** The identity the hub recorded for this client. */
  identity: string;
  /** True when both sides speak the protocol extensions. */
  extensions: boolean;
}

/** Handshake settings common to both sides. */
export interface HandshakeSettings {
  /** Whether this side speaks the extensions (`meta`). */
  extensions: boolean;
  /** Time allowed for the whole handshake, in ms. */
  timeoutMs: number;
}

/** Runs the hub side: challenges the peer and checks its answer. Closes the link and throws on failure. */
export async function acceptHandshake(link: Link, auth: HubAuthOptions, settings: HandshakeSettings): Promise<AcceptedPeer> {
  const deadline = Date.now() + settings.timeoutMs;
  const nonce = makeNonce();
  try {
    link.send({ $: 'challenge', v: HANDSHAKE_VERSION, nonce, extensions: settings.extensions });
    const answer = readAuth(await nextFrame(link, deadline, settings.timeoutMs, 'an auth frame'));
    const entry = lookupIdentity(auth, answer.identity);
    const expected = clientMac(entry?.secret ?? DECOY_SECRET, nonce, answer.identity);
    if (!macMatches(answer.mac, expected) || entry === undefined) {
      throw new TransportError('auth_failed', `authentication failed for identity "${answer.identity}": unknown identity or wrong secret`);
    }
    link.send({
      $: 'accept',
      v: HANDSHAKE_VERSION,
      identity: answer.identity,
      proof: serverProof(entry.secret, answer.nonce, answer.identity),
      extensions: settings.extensions,
    });
    const peer: AcceptedPeer = { identity: answer.identity, extensions: settings.extensions && answer.extensions };
    if (entry.permissions !== undefined) peer.permissions = entry.permissions;
    return peer;
  } catch (error) {
    throw await fail(link, error);
  }
}

/** Runs the client side: answers the hub's challenge and checks the hub's proof. Closes the link and throws on failure. */
export async function offerHandshake(link: Link, credentials: PeerCredentials, settings: HandshakeSettings): Promise<AcceptedByHub> {
  const deadline = Date.now() + settings.timeoutMs;
  const nonce = makeNonce();
  try {
    const challenge = readChallenge(await nextFrame(link, deadline, settings.timeoutMs, 'a challenge'));
    link.send({
      $: 'auth',
      v: HANDSHAKE_VERSION,
      identity: credentials.identity,
      nonce,
      mac: clientMac(credentials.secret, challenge.nonce, credentials.identity),
      extensions: settings.extensions,
    });
    const accept = readAccept(await nextFrame(link, deadline, settings.timeoutMs, 'an accept frame'));
    if (!macMatches(accept.proof, serverProof(credentials.secret, nonce, credentials.identity))) {
      throw new TransportError('auth_failed', `authentication failed: ${link.description} did not prove it knows the secret for identity "${credentials.identity}"`);
    }
    return { identity: accept.identity, extensions: settings.extensions && challenge.extensions && accept.extensions };
  } catch (error) {
    throw await fail(link, error);
  }
}

/** Closes the link with the failure as the reason the peer sees, and returns the error to throw. */
async function fail(link: Link, error: unknown): Promise<TransportError> {
  const reason =
    error instanceof TransportError
      ? error
      : new TransportError('handshake_failed', `handshake with ${link.description} failed: ${(error as Error)?.message ?? String(error)}`);
  await link.close(reason);
  return reason;
}

/** Waits for the next inbound frame, the link closing, or the deadline. */
function nextFrame(link: Link, deadline: number, timeoutMs: number, what: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      link.setReceiver(undefined);
      action();
    };
    const timer = setTimeout(
      () => settle(() => reject(new TransportError('handshake_timeout', `${link.description} sent no ${what} within the ${timeoutMs} ms handshake timeout`))),
      Math.max(0, deadline - Date.now()),
    );
    void link.closed.then((reason) =>
      settle(() => reject(reason ?? new TransportError('handshake_failed', `${link.description} closed during the handshake`))),
    );
    link.setReceiver((value) => settle(() => resolve(value)));
  });
}

interface ChallengeFrame {
  nonce: string;
  extensions: boolean;
}

interface AuthFrame {
  identity: string;
  nonce: string;
  mac: string;
  extensions: boolean;
}

interface AcceptFrame {
  identity: string;
  proof: string;
  extensions: boolean;
}

function readChallenge(frame: unknown): ChallengeFrame {
  const f = expectFrame(frame, 'challenge');
  if (typeof f.nonce !== 'string' || f.nonce.length < 16) throw malformed('challenge', 'its nonce is missing or too short');
  return { nonce: f.nonce, extensions: f.extensions === true };
}

function readAuth(frame: unknown): AuthFrame {
  const f = expectFrame(frame, 'auth');
  if (!isValidIdentity(f.identity)) throw new TransportError('auth_failed', `authentication failed: identity ${JSON.stringify(f.identity)?.slice(0, 140)} is not valid`);
  if (typeof f.nonce !== 'string' || f.nonce.length < 16) throw malformed('auth', 'its nonce is missing or too short');
  if (typeof f.mac !== 'string') throw malformed('auth', 'its mac is missing');
  return { identity: f.identity, nonce: f.nonce, mac: f.mac, extensions: f.extensions === true };
}

function readAccept(frame: unknown): AcceptFrame {
  const f = expectFrame(frame, 'accept');
  if (typeof f.identity !== 'string' || typeof f.proof !== 'string') throw malformed('accept', 'its identity or proof is missing');
  return { identity: f.identity, proof: f.proof, extensions: f.extensions === true };
}

function expectFrame(frame: unknown, kind: string): Record<string, unknown> {
  if (typeof frame !== 'object' || frame === null || (frame as { $?: unknown }).$ !== kind) {
    throw malformed(kind, 'a different frame arrived (the handshake must come before any protocol message)');
  }
  const f = frame as Record<string, unknown>;
  if (f.v !== HANDSHAKE_VERSION) throw malformed(kind, `it speaks handshake version ${String(f.v)}, this side speaks ${HANDSHAKE_VERSION}`);
  return f;
}

function malformed(kind: string, why: string): TransportError {
  return new TransportError('handshake_failed', `handshake failed: expected a ${kind} frame, but ${why}`);
}
