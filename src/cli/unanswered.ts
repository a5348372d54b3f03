import type { Message } from './gateway-headers.js';

type Id = string | number;

/**
 * The requests a client of `mcplexer connect` sent that have no answer on its stdout yet, by id:
 * what the bridge still owes its client when stdin ends (it answers them before it exits) or when
 * the gateway cannot be started (each gets the reason). Notifications and responses owe nothing.
 */
export class Unanswered {
  private readonly ids = new Set<Id>();
  private waiters: Array<() => void> = [];

  /** Notes the requests of one client message (a batch's members too), as the bridge read it. */
  note(raw: unknown): void {
    if (Array.isArray(raw)) for (const member of raw) this.noteOne(member);
    else this.noteOne(raw);
  }

  /** An answer for `id` went to the client (a result or an error; an id not owed is ignored). */
  settle(id: unknown): void {
    if ((typeof id !== 'string' && typeof id !== 'number') || !this.ids.delete(id) || this.ids.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The ids still owed, in the order they were read. */
  list(): Id[] {
    return [...this.ids];
  }

  get size(): number {
    return this.ids.size;
  }

  /** Resolves once every request read so far is answered (at once when none is owed). */
  empty(): Promise<void> {
    if (this.ids.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Whether every request read so far is answered, and every send in `sending` settled, within
   * `timeoutMs` (false: the time ran out first).
   */
  async emptyWithin(timeoutMs: number, sending: Iterable<Promise<unknown>>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const answered = Promise.all([this.empty(), Promise.allSettled([...sending])]).then(() => true);
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private noteOne(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const { id, method } = message as Message;
    if (typeof method === 'string' && (typeof id === 'string' || typeof id === 'number')) this.ids.add(id);
  }
}
