/**
 * The calls in flight on one connection, and the routing of what the downstream sends while they
 * run. It sees every incoming message synchronously, in wire order, before the SDK dispatches it:
 * progress goes to the call whose token it carries (so even a progress notification that shares a
 * chunk with the result arrives first); other per-call notifications and server→client requests
 * are attributed by the owner (client session) of the calls in flight, because stdio and the SDK's
 * HTTP transport say nothing about which request a message relates to: with one owner they go to
 * that owner's latest call, with several they are unattributable (a request is refused, a
 * notification is relayed to nobody); server-wide notifications become pool events.
 */
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/client';
import type { CallClock } from './call-clock.js';
import type { CallOptions, DownstreamMessage, ProgressUpdate } from './types.js';

/** One call in flight. `id` is learnt only for calls that asked for progress. */
export class CallEntry {
  id: RequestId | undefined = undefined;
  /** The request's timeout (set as it is sent): progress restarts it, the client's time stops it. */
  clock: CallClock | undefined = undefined;
  constructor(readonly opts: CallOptions) {}
}

/** Notifications about the server as a whole: never routed to a call. */
const SERVER_WIDE = new Set([
  'notifications/tools/list_changed',
  'notifications/resources/list_changed',
  'notifications/resources/updated',
  'notifications/prompts/list_changed',
]);

export type UnroutedListener = (notification: DownstreamMessage) => void;
export type CallbackErrorListener = (error: unknown, method: string) => void;

/** What a server→client request was attributed to when calls of several owners were in flight. */
export const UNATTRIBUTABLE = Symbol('unattributable');
type Attribution = CallEntry | typeof UNATTRIBUTABLE | undefined;

export class CallRegistry {
  private readonly calls = new Set<CallEntry>();
  private readonly byProgressToken = new Map<RequestId, CallEntry>();
  private readonly routedRequests = new Map<RequestId, CallEntry | typeof UNATTRIBUTABLE>();
  private sending: CallEntry | null = null;

  /**
   * @param onUnrouted a notification no call owns (server-wide kinds, or no client call in flight)
   * @param onCallbackError a call's callback threw
   * @param onUnattributed a per-call notification dropped because calls of several owners were in flight
   */
  constructor(
    private readonly onUnrouted: UnroutedListener,
    private readonly onCallbackError: CallbackErrorListener = () => undefined,
    private readonly onUnattributed: UnroutedListener = () => undefined,
  ) {}

  get size(): number {
    return this.calls.size;
  }

  add(entry: CallEntry): void {
    this.calls.add(entry);
  }

  remove(entry: CallEntry): void {
    this.calls.delete(entry);
    if (entry.id !== undefined) this.byProgressToken.delete(entry.id);
    if (this.routedRequests.size > 0) {
      for (const [id, target] of this.routedRequests) if (target === entry) this.routedRequests.delete(id);
    }
    if (this.calls.size === 0) this.routedRequests.clear(); // unattributable answers nobody took
  }

  /** Marks the call whose request is about to be written, so `noteOutgoing` can learn its id. */
  beginSend(entry: CallEntry | null): void {
    this.sending = entry;
  }

  /** Sees each outgoing message; learns the JSON-RPC id (= progress token) of the call being sent. */
  noteOutgoing(message: JSONRPCMessage): void {
    const entry = this.sending;
    if (entry === null || !('method' in message) || !('id' in message)) return;
    this.sending = null;
    entry.id = message.id;
    this.byProgressToken.set(message.id, entry);
  }

  /** Routes one incoming message before the SDK sees it. Responses pass untouched. */
  onIncoming(message: JSONRPCMessage): void {
    if (!('method' in message)) return;
    if ('id' in message) {
      if (message.method === 'ping') return; // the SDK answers pings itself
      const target = this.attribute(hasServerRequestHandler);
      if (target !== undefined) this.routedRequests.set(message.id, target);
      return;
    }
    const notification = message as DownstreamMessage;
    const method = notification.method;
    if (method === 'notifications/progress') return this.routeProgress(notification.params);
    if (method === 'notifications/cancelled') return; // cancels a server→client request: the SDK's job
    if (!SERVER_WIDE.has(method)) {
      const target = this.attribute(hasNotificationHandler);
      if (target === UNATTRIBUTABLE) return this.onUnattributed(notification);
      if (target) return this.invoke(method, () => target.opts.onNotification!(notification));
    }
    this.onUnrouted(notification);
  }

  /**
   * What a server→client request was attributed to on arrival (taken once): the call that answers
   * it, `UNATTRIBUTABLE` when calls of several owners were in flight, or undefined when no client
   * call was.
   */
  takeRoutedRequest(id: RequestId): Attribution {
    const entry = this.routedRequests.get(id);
    if (entry) this.routedRequests.delete(id);
    return entry;
  }

  private routeProgress(params: Record<string, unknown> | undefined): void {
    if (!params) return;
    const token = params.progressToken as RequestId;
    const entry = this.byProgressToken.get(token) ?? (typeof token === 'string' ? this.byProgressToken.get(Number(token)) : undefined);
    if (!entry?.opts.onProgress) return; // a late or foreign token: nobody is listening
    const { progressToken: _token, ...update } = params;
    entry.clock?.touch(); // MCP 2025-11-25 Lifecycle › Timeouts: progress may reset the clock (the SDK's resetTimeoutOnProgress did)
    this.invoke('notifications/progress', () => entry.opts.onProgress!(update as ProgressUpdate));
  }

  /**
   * The latest accepting call of the one owner whose calls are in flight; `UNATTRIBUTABLE` when
   * calls of several owners are. Calls without an owner (the gateway's own discovery) are not
   * candidates. O(calls in flight), paid per relayed message, never per call.
   */
  private attribute(accepts: (entry: CallEntry) => boolean): Attribution {
    let owner: string | undefined;
    let found: CallEntry | undefined;
    for (const entry of this.calls) {
      const entryOwner = entry.opts.owner;
      if (entryOwner === undefined) continue;
      if (owner === undefined) owner = entryOwner;
      else if (entryOwner !== owner) return UNATTRIBUTABLE;
      if (accepts(entry)) found = entry;
    }
    return found;
  }

  private invoke(method: string, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.onCallbackError(error, method);
    }
  }
}

function hasServerRequestHandler(entry: CallEntry): boolean {
  return entry.opts.onServerRequest !== undefined;
}

function hasNotificationHandler(entry: CallEntry): boolean {
  return entry.opts.onNotification !== undefined;
}
