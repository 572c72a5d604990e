import { CommandError, type ExecuteErrorCode } from 'cmd-ipc';

/**
 * The theater-specific reason behind an error. `code` (inherited) is the cmd-ipc wire code the error
 * keeps across the mesh; `reason` is the precise, stable cause for code that reads it locally.
 */
export type TheaterReason =
  | 'invalid_manifest'
  | 'capability_denied'
  | 'abi_violation'
  | 'actor_not_found'
  | 'actor_stopped'
  | 'actor_error'
  | 'deadline_exceeded'
  | 'trap'
  | 'crashed'
  | 'mailbox_full'
  | 'not_permitted'
  | 'store_not_found'
  | 'replay_mismatch';

/** Base class of every error the theater raises. */
export class TheaterError extends CommandError {
  constructor(
    code: ExecuteErrorCode,
    readonly reason: TheaterReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** A manifest that cannot be read, parsed or validated. */
export class ManifestError extends TheaterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_request', 'invalid_manifest', message, options);
  }
}

/** A module imports something its manifest does not grant (refused at spawn). */
export class CapabilityError extends TheaterError {
  constructor(message: string) {
    super('invalid_request', 'capability_denied', message);
  }
}

/** A module breaks the ABI: a missing export, a result that is not the expected JSON, … */
export class AbiError extends TheaterError {
  constructor(message: string) {
    super('internal_error', 'abi_violation', message);
  }
}

/** No actor with this id in this runtime. */
export class ActorNotFoundError extends TheaterError {
  constructor(actorId: string) {
    super('not_found', 'actor_not_found', `actor not found: ${actorId}`);
  }
}

/** The actor stopped (or failed for good) before it could serve the call. */
export class ActorStoppedError extends TheaterError {
  constructor(actorId: string, what: string) {
    super('not_found', 'actor_stopped', `actor ${actorId} is stopped: cannot ${what}`);
  }
}

/** An export answered with a handled `{error}`; the actor keeps running. */
export class ActorCallError extends TheaterError {
  constructor(code: ExecuteErrorCode, message: string) {
    super(code, 'actor_error', message);
  }
}

/** An export ran past its per-call deadline and was stopped. */
export class DeadlineExceededError extends TheaterError {
  constructor(actorId: string, exportName: string, timeoutMs: number) {
    super('timeout', 'deadline_exceeded', `actor ${actorId} export ${exportName} exceeded its deadline of ${timeoutMs} ms`);
  }
}

/** An export trapped (unreachable, out-of-bounds access, …). */
export class ActorTrapError extends TheaterError {
  constructor(actorId: string, exportName: string, detail: string) {
    super('internal_error', 'trap', `actor ${actorId} export ${exportName} trapped: ${detail}`);
  }
}

/** The actor's worker thread died. */
export class ActorCrashError extends TheaterError {
  constructor(actorId: string, detail: string) {
    super('internal_error', 'crashed', `actor ${actorId} crashed: ${detail}`);
  }
}

/** The actor's mailbox is at its bound. */
export class MailboxFullError extends TheaterError {
  constructor(actorId: string, limit: number) {
    super('internal_error', 'mailbox_full', `actor ${actorId} has ${limit} calls waiting; refusing more`);
  }
}

/** The caller may not do this (someone else's child, a private host command called from a channel, …). */
export class NotPermittedError extends TheaterError {
  constructor(message: string) {
    super('invalid_request', 'not_permitted', message);
  }
}

/** No stored object with this hash, or no such label. */
export class StoreNotFoundError extends TheaterError {
  constructor(what: string) {
    super('not_found', 'store_not_found', `store has no ${what}`);
  }
}

/** A replay produced an event whose hash differs from the recorded one. */
export class ReplayMismatchError extends TheaterError {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super('internal_error', 'replay_mismatch', `replay diverged at event ${index}: ${message}`);
  }
}
