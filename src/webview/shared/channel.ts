/**
 * The view end of the channel: requests carry an id and settle with the response of that id; what
 * the host sends is parsed with the view's protocol, and a malformed message is dropped, logged in
 * the view's console and reported to the host (`view/dropped`) so it lands in the output channel.
 */
import { parseToView, type AnyProtocol, type MethodOf, type ParamsOf, type ResultOf, type ViewNoteOf, type WireError } from '../../shared/webviews/protocol.js';
import type { z } from 'zod';

/** A request the host answered with an error (a gateway refusal keeps its status and details). */
export class RequestError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
    this.name = 'RequestError';
  }
}

export interface PostTarget {
  postMessage(message: unknown): void;
}

/** What a view needs of its host (VS Code's webview API, or the dashboard frame's): a place to post, and its saved state. */
export interface HostApi<S> extends PostTarget {
  getState(): S | undefined;
  setState(state: S): S;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class ViewChannel<P extends AnyProtocol> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();

  constructor(
    private readonly protocol: P,
    private readonly target: PostTarget,
    private readonly warn: (reason: string) => void = (reason) => console.warn(reason),
  ) {}

  /** Sends a request; settles with its result, or rejects with a RequestError. */
  request<M extends MethodOf<P>>(method: M, params: ParamsOf<P, M>): Promise<ResultOf<P, M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<P, M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.target.postMessage({ kind: 'request', id, method, params });
    });
  }

  /** Sends a notification to the host. */
  notify(method: keyof P['toHost'] & string, params: unknown): void {
    this.target.postMessage({ kind: 'notify', method, params });
  }

  /** Listens to one notification from the host; returns the unsubscribe function. */
  on<M extends ViewNoteOf<P>>(method: M, listener: (params: z.infer<P['toView'][M]>) => void): () => void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(listener as (params: unknown) => void);
    this.listeners.set(method, set);
    return () => set.delete(listener as (params: unknown) => void);
  }

  /** Handles one raw message from the host (the window's `message` event data). Never throws. */
  receive(raw: unknown): void {
    const parsed = parseToView(this.protocol, raw);
    if (!parsed.ok) {
      this.drop(parsed.reason, raw);
      return;
    }
    const message = parsed.message;
    if (message.kind === 'notify') {
      for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) {
      this.warn(`${this.protocol.name} view: a response to "${message.method}" with id ${message.id} matches no pending request`);
      return;
    }
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new RequestError(message.error));
  }

  /** How many requests wait for their response. */
  get inFlight(): number {
    return this.pending.size;
  }

  private drop(reason: string, raw: unknown): void {
    this.warn(reason);
    this.notify('view/dropped', { reason });
    // A response the view cannot read still settles its request, so nothing waits forever.
    const candidate = raw as { kind?: unknown; id?: unknown } | null;
    if (candidate && typeof candidate === 'object' && candidate.kind === 'response' && typeof candidate.id === 'number') {
      const pending = this.pending.get(candidate.id);
      if (pending) {
        this.pending.delete(candidate.id);
        pending.reject(new RequestError({ code: 'invalid_message', message: reason, details: [] }));
      }
    }
  }
}
