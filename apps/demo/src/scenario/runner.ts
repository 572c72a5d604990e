import type { Narrator } from '../narrate/narrator.js';
import type { DemoContext, Step } from './context.js';

/** How a run of the scenario ended. */
export type RunOutcome = { ok: true } | { ok: false; index: number; title: string; message: string };

/** The event the demo emits as each step starts, so the live page (and `cmd-ipc watch`) follow the story. */
export const STEP_EVENT = 'demo.step';

/**
 * Runs the steps in order, each bounded by its timeout, and stops at the first one that fails,
 * naming it. A step that times out is told so through its abort signal.
 */
export async function runSteps(steps: readonly Step[], context: DemoContext, narrator: Narrator): Promise<RunOutcome> {
  for (const [position, step] of steps.entries()) {
    const index = position + 1;
    narrator.beginStep(index, steps.length, step.title);
    if (context.controller) context.registry.emitEvent(STEP_EVENT, { index, total: steps.length, title: step.title });
    const timeoutMs = context.stepTimeoutMs * (step.timeoutFactor ?? 1);
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`did not finish within ${(timeoutMs / 1000).toFixed(0)} s`);
        abort.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      await Promise.race([step.run(context, (text) => narrator.say(text), abort.signal), timedOut]);
      narrator.endStep(true);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      narrator.endStep(false, message);
      return { ok: false, index, title: step.title, message };
    } finally {
      clearTimeout(timer);
    }
  }
  return { ok: true };
}
