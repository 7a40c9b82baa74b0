/** A listener for one event; it may return a promise, which the emitter hands back. */
export type Listener<Payload> = (payload: Payload) => unknown;

/** A minimal, framework-free event emitter typed by an event map (as socket.io's typed-events). */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Adds a listener; returns a function that removes it. */
  on<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  /** Removes a listener added with {@link on}. */
  off<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): void {
    this.listeners.get(name)?.delete(listener as Listener<never>);
  }

  /** Whether `name` has at least one listener. */
  protected hasListeners(name: keyof Events): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0;
  }

  /**
   * Calls every listener of `name` in order. Returns what each returned, or threw:
   * a listener that throws must not stop the others, and the caller decides what a failure means.
   */
  protected dispatch<Name extends keyof Events>(name: Name, payload: Events[Name]): ListenerOutcome[] {
    const set = this.listeners.get(name);
    if (!set) return [];
    return [...set].map((listener) => {
      try {
        return { returned: (listener as Listener<Events[Name]>)(payload) };
      } catch (error) {
        return { threw: error };
      }
    });
  }
}

/** What one listener did: returned a value (maybe a promise), or threw. */
export type ListenerOutcome = { returned: unknown } | { threw: unknown };

/** Waits for every listener's outcome; the first failure, if any. */
export async function firstFailure(outcomes: ListenerOutcome[]): Promise<{ error: unknown } | undefined> {
  const settled = await Promise.allSettled(
    outcomes.map((outcome) => ('threw' in outcome ? Promise.reject(outcome.threw) : outcome.returned)),
  );
  const rejected = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  return rejected && { error: rejected.reason };
}
