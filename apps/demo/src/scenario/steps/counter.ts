import type { Step } from '../context.js';
import { check } from '../hub-queries.js';

/** Step: the counter actor keeps state across calls, whether called by export or by message. */
export const counterState: Step = {
  title: "The counter actor's state, kept across calls from another process",
  async run(context, say) {
    const { counter } = context.actors;
    const registry = context.registry;
    const increment = `actor.${counter.actorId}.increment`;
    const afterTwo = await registry.executeCommand(increment, { by: 2 });
    const afterFive = await registry.executeCommand(increment, { by: 3 });
    say(`${increment} {by: 2} → ${JSON.stringify(afterTwo)};  {by: 3} → ${JSON.stringify(afterFive)}`);
    const { result: reply } = (await registry.executeCommand('theater.request', { actorId: counter.actorId, data: { by: 5 } })) as { result: { count: number; from: string } };
    say(`theater.request {data: {by: 5}} (the message-server path) → ${JSON.stringify(reply)}: the actor saw who asked`);
    const { state } = (await registry.executeCommand('theater.state', { actorId: counter.actorId })) as { state: { count: number } };
    check(afterTwo === 2 && afterFive === 5 && reply.count === 10, `the counts were ${afterTwo}, ${afterFive}, ${reply.count}; expected 2, 5, 10`);
    check(state.count === 10, `theater.state says count ${state.count}; expected 10`);
    say(`theater.state → ${JSON.stringify(state)}`);
  },
};
