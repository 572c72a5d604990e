/** What the runtime announces about actors (the bridge turns these into `theater.actor.*` events). */
export type LifecycleEvent =
  | { type: 'started'; actorId: string; name: string; parent?: string; restart: boolean }
  | { type: 'stopped'; actorId: string; name: string; reason: string; status: 'stopped' | 'failed' }
  | { type: 'failed'; actorId: string; name: string; reason: string; message: string; restarting: boolean };

/** A lifecycle listener. */
export type LifecycleListener = (event: LifecycleEvent) => void;

/** A small set of lifecycle listeners; a listener that throws does not stop the others. */
export class LifecycleListeners {
  private readonly listeners = new Set<LifecycleListener>();

  /** Adds a listener; returns its removal. */
  add(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers an event to every listener. */
  emit(event: LifecycleEvent, onError: (error: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        onError(error);
      }
    }
  }
}
