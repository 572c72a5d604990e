import type { EventContext, EventListener, Logger } from './types.js';

/** The local listeners of a registry, by event id, plus the wildcard `*` listeners. */
export class EventListeners {
  private readonly byId = new Map<string, Set<EventListener>>();

  constructor(private readonly logger: Logger) {}

  /** Adds a listener; returns a function that removes it. */
  add(eventId: string, listener: EventListener): () => void {
    let set = this.byId.get(eventId);
    if (!set) {
      set = new Set();
      this.byId.set(eventId, set);
    }
    set.add(listener);
    return () => this.remove(eventId, listener);
  }

  /** Removes a listener; a listener that was not added is ignored. */
  remove(eventId: string, listener: EventListener): void {
    const set = this.byId.get(eventId);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) this.byId.delete(eventId);
  }

  /** Calls every listener of the event and every wildcard listener; a throwing listener is logged, not fatal. */
  deliver(payload: unknown, context: EventContext): void {
    this.call(this.byId.get(context.eventId), payload, context);
    this.call(this.byId.get('*'), payload, context);
  }

  /** Removes every listener. */
  clear(): void {
    this.byId.clear();
  }

  private call(set: Set<EventListener> | undefined, payload: unknown, context: EventContext): void {
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload, context);
      } catch (error) {
        this.logger.error(`event listener for ${context.eventId} threw`, { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
