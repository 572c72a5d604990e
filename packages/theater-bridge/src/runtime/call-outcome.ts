import { isExecuteErrorCode } from 'cmd-ipc';
import { parseExportOutput } from '../abi/export-output.js';
import type { ChainEventType } from '../chain/chain-event.js';
import {
  AbiError,
  ActorCallError,
  ActorCrashError,
  ActorTrapError,
  DeadlineExceededError,
  type TheaterError,
} from '../errors/theater-errors.js';
import type { JsonValue } from '../json/json-value.js';
import type { CallOutcome } from '../worker/actor-worker.js';

/** What one export call amounts to: the chain event it produces and what the caller gets. */
export interface InterpretedCall {
  event: { type: ChainEventType; data: JsonValue };
  outcome:
    | { ok: true; state: JsonValue; result: JsonValue | undefined }
    /** `fatal`: the instance is unusable (trap, deadline, crash, ABI violation) and supervision decides. */
    | { ok: false; error: TheaterError; fatal: boolean };
}

/**
 * Turns how a worker call ended into its chain event and result. The runtime and replay both use
 * this, so a replayed call yields byte-identical event data whenever the actor behaves the same.
 */
export function interpretCall(actorId: string, name: string, outcome: CallOutcome): InterpretedCall {
  let error: TheaterError;
  switch (outcome.kind) {
    case 'returned': {
      let parsed;
      try {
        parsed = parseExportOutput(outcome.output, actorId, name);
      } catch (abi) {
        error = abi as AbiError;
        break;
      }
      if (parsed.kind === 'ok') {
        return {
          event: { type: 'export.result', data: { export: name, state: parsed.state, result: parsed.result ?? null } },
          outcome: { ok: true, state: parsed.state, result: parsed.result },
        };
      }
      // A handled error: the actor chose to refuse; its state is unchanged and it keeps running.
      const code = parsed.code !== undefined && isExecuteErrorCode(parsed.code) ? parsed.code : 'internal_error';
      return {
        event: { type: 'export.error', data: { export: name, reason: 'actor_error', message: parsed.message } },
        outcome: { ok: false, error: new ActorCallError(code, `actor ${actorId} export ${name}: ${parsed.message}`), fatal: false },
      };
    }
    case 'trapped':
      error = new ActorTrapError(actorId, name, outcome.message);
      break;
    case 'timed-out':
      error = new DeadlineExceededError(actorId, name, outcome.timeoutMs);
      break;
    case 'abi-violation':
      error = new AbiError(`actor ${actorId} export ${name}: ${outcome.message}`);
      break;
    case 'crashed':
      error = new ActorCrashError(actorId, outcome.message);
      break;
  }
  return {
    event: { type: 'export.error', data: { export: name, reason: error.reason, message: error.message } },
    outcome: { ok: false, error, fatal: true },
  };
}
