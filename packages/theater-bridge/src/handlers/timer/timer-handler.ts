import { z } from 'zod';
import { InvalidRequestError } from 'cmd-ipc';
import { MANIFEST_DEFAULTS, grantOf } from '../../manifest/manifest.js';
import type { Actor } from '../../runtime/actor.js';
import type { ActorRuntime } from '../../runtime/actor-runtime.js';
import { commandFor, INTERFACES } from '../interfaces.js';

const spec = INTERFACES.timer;

/** The export each tick calls. */
export const HANDLE_TICK = 'handle-tick';
/** Timers one actor instance may hold. */
export const MAX_TIMERS_PER_ACTOR = 64;

const SetIntervalSchema = z.object({
  intervalMs: z.number().int().min(1).max(86_400_000),
  tag: z.string().max(200).optional(),
});
const CancelSchema = z.object({ timerId: z.string().min(1).max(100) });
const EmptySchema = z.object({}).optional();

interface Timer {
  handle: NodeJS.Timeout;
  tick: number;
  /** A tick is waiting in the mailbox or running: the next ones are skipped until it is done. */
  inFlight: boolean;
}

/**
 * Registers `theater:simple/timer`: now, set-interval, cancel. Each tick calls the actor's
 * `handle-tick` export with `{timerId, tag, tick}`; a tick that finds the previous one still in the
 * mailbox is skipped rather than queued, so a slow actor is never buried in ticks.
 * Timers belong to an instance: a restart or stop cancels them.
 */
export async function registerTimerHandler(runtime: ActorRuntime): Promise<void> {
  const timers = new Map<string, Map<string, Timer>>();
  let seq = 0;
  const { registry } = runtime;

  runtime.onInstanceEnd((actor) => {
    const owned = timers.get(actor.id);
    if (!owned) return;
    for (const timer of owned.values()) clearInterval(timer.handle);
    timers.delete(actor.id);
  });

  const tick = (actor: Actor, timerId: string, tag: string | undefined, timer: Timer): void => {
    if (timer.inFlight) return;
    timer.inFlight = true;
    timer.tick++;
    actor
      .call(HANDLE_TICK, { timerId, tick: timer.tick, ...(tag !== undefined ? { tag } : {}) })
      .catch((error: unknown) => runtime.logger.debug(`theater: tick ${timerId} of ${actor.id} failed`, { error: String(error) }))
      .finally(() => {
        timer.inFlight = false;
      });
  };

  await registry.registerCommand(
    commandFor(spec, 'now'),
    (_request, context) => {
      runtime.callerActor(context, spec.handler);
      return { now: Date.now() };
    },
    { description: 'theater:simple/timer.now: the wall clock, epoch ms', schema: { request: EmptySchema } },
  );
  await registry.registerCommand(
    commandFor(spec, 'set-interval'),
    (request, context) => {
      const actor = runtime.callerActor(context, spec.handler);
      const { intervalMs, tag } = request as z.output<typeof SetIntervalSchema>;
      const min = grantOf(actor.manifest, 'timer')?.minIntervalMs ?? MANIFEST_DEFAULTS.minIntervalMs;
      if (intervalMs < min) throw new InvalidRequestError(`timer.set-interval: ${intervalMs} ms is below actor ${actor.id}'s minimum of ${min} ms`);
      if (!actor.hasExport(HANDLE_TICK)) throw new InvalidRequestError(`timer.set-interval: actor ${actor.id} has no ${HANDLE_TICK} export`);
      const owned = timers.get(actor.id) ?? new Map<string, Timer>();
      if (owned.size >= MAX_TIMERS_PER_ACTOR) throw new InvalidRequestError(`timer.set-interval: actor ${actor.id} already has ${MAX_TIMERS_PER_ACTOR} timers`);
      timers.set(actor.id, owned);
      const timerId = `timer-${++seq}`;
      const timer: Timer = { handle: setInterval(() => tick(actor, timerId, tag, timer), intervalMs), tick: 0, inFlight: false };
      owned.set(timerId, timer);
      return { timerId };
    },
    { description: 'theater:simple/timer.set-interval: call handle-tick every intervalMs', schema: { request: SetIntervalSchema } },
  );
  await registry.registerCommand(
    commandFor(spec, 'cancel'),
    (request, context) => {
      const actor = runtime.callerActor(context, spec.handler);
      const { timerId } = request as z.output<typeof CancelSchema>;
      const timer = timers.get(actor.id)?.get(timerId);
      if (timer) {
        clearInterval(timer.handle);
        timers.get(actor.id)?.delete(timerId);
      }
      return { cancelled: timer !== undefined };
    },
    { description: 'theater:simple/timer.cancel: stop a timer', schema: { request: CancelSchema } },
  );
}
