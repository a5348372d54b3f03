/**
 * The host end of the views in the browser dashboard: what the extension's `ViewHost` is in a VS
 * Code window, run in the dashboard page itself. Each view is a same-origin frame (its bundle
 * unchanged, see frame-api.ts); its messages go through the same `HostChannel` and the same
 * handlers (`VIEWS`), which call the REST API on the page's own origin. The connection's state and
 * the daemon's events (one `GET /api/v1/events` stream for every frame) are relayed as
 * `gateway/state` and `gateway/event`, as the extension relays them. No DOM here: the page hands in
 * how to post to a frame, so this is unit-tested with plain functions.
 */
import { HostChannel, type ChannelLog } from '../../shared/webviews/host/host-channel.js';
import type { HostContext, ViewEntry } from '../../shared/webviews/host/views.js';
import { InstanceDisposers } from '../../shared/webviews/host/host-context.js';
import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import { eventNote } from '../../shared/webviews/host/event-note.js';
import type { GatewayEventNote, GatewayStateNote } from '../../shared/webviews/answers.js';
import type { AnyProtocol, ViewNoteOf } from '../../shared/webviews/protocol.js';
import type { GatewayEvent } from '../../shared/schemas/daemon.js';

export type { ViewEntry } from '../../shared/webviews/host/views.js';

/** Notifications kept for a view that does not listen yet (the newest ones). */
const QUEUE_LIMIT = 20;

/** One framed view's host end: its channel, its readiness and its queued notifications. */
export class FrameHost<P extends AnyProtocol = AnyProtocol> {
  private readonly channel: HostChannel<P>;
  private ready = false;
  private queued: Array<{ method: string; params: unknown }> = [];
  private readonly disposers: InstanceDisposers;

  constructor(
    entry: ViewEntry<P>,
    source: ClientSource,
    post: (message: unknown) => void,
    private readonly log: ChannelLog,
    private readonly connection: () => GatewayStateNote,
  ) {
    this.disposers = new InstanceDisposers((error) => log.error(`closing a view's resources failed: ${error.message}`));
    const context: HostContext<P> = { notify: (method, params) => this.notify(method, params), onDispose: (dispose) => this.disposers.add(dispose) };
    this.channel = new HostChannel(entry.protocol, entry.handlers(source, context), post, log, (note) => {
      if (note.method === 'view/ready') this.onReady();
      else if (note.method === 'view/dropped') log.warn(`${entry.protocol.name} view dropped a message: ${(note.params as { reason: string }).reason}`);
    });
  }

  /** A raw message from the frame (already known to come from it, on this origin). */
  receive(raw: unknown): Promise<void> {
    return this.channel.receive(raw);
  }

  /** Sends a notification now if the view listens, else when it does (the last 20 kept). */
  notify(method: string, params: unknown): void {
    if (this.disposers.disposed) return;
    if (this.ready) this.channel.notify(method as ViewNoteOf<P>, params as never);
    else this.queued = [...this.queued, { method, params }].slice(-QUEUE_LIMIT);
  }

  /** The connection changed: tell the view (if it listens; it gets the state on `view/ready` anyway). */
  sendState(): void {
    if (this.ready) this.channel.notify('gateway/state' as ViewNoteOf<P>, this.connection() as never);
  }

  /** A daemon event for the view; events before `view/ready` are not queued (the view loads a fresh snapshot). */
  sendEvent(note: GatewayEventNote): void {
    if (this.ready) this.channel.notify('gateway/event' as ViewNoteOf<P>, note as never);
  }

  /** The frame went away: its handlers close what they opened (streams). */
  dispose(): void {
    this.ready = false;
    this.queued = [];
    this.disposers.dispose();
  }

  private onReady(): void {
    this.ready = true;
    this.sendState();
    const queued = this.queued;
    this.queued = [];
    for (const { method, params } of queued) this.channel.notify(method as ViewNoteOf<P>, params as never);
  }
}

/** The daemon's event stream as the page host needs it (`RestClient.events()`). */
export interface EventSource {
  onEvent(listener: (event: GatewayEvent) => void): () => void;
  onStatus(listener: (status: 'open' | 'reconnecting' | 'closed') => void): () => void;
  close(): void;
}

/**
 * The page's host: every frame's `FrameHost`, the one connection state (`attaching` until the event
 * stream opens, `ready` while it is open, `error` while it reconnects) and the events relayed to
 * every frame.
 */
export class BrowserHost {
  private readonly frames = new Set<FrameHost>();
  private state: GatewayStateNote = { state: 'attaching' };
  private onState: (() => void) | undefined;
  private stream: EventSource | undefined;

  constructor(
    private readonly source: ClientSource,
    private readonly origin: string,
    private readonly log: ChannelLog,
  ) {}

  /**
   * Starts relaying the daemon's events (idempotent); `onState` runs after each change of the
   * connection's state (the page redraws its header from `connection` then: a listener of its own
   * on the stream ran before this one and read the state before it changed).
   */
  start(openEvents: () => EventSource, onState?: () => void): void {
    if (this.stream) return;
    this.onState = onState;
    const stream = openEvents();
    this.stream = stream;
    stream.onStatus((status) => {
      if (status === 'closed') return;
      this.setState(status === 'open' ? { state: 'ready', url: this.origin } : { state: this.state.state === 'attaching' ? 'attaching' : 'error' });
    });
    stream.onEvent((event) => {
      const note = eventNote(event);
      for (const frame of this.frames) frame.sendEvent(note);
    });
  }

  /** Hosts one view frame; `post` delivers a message to it. */
  attach<P extends AnyProtocol>(entry: ViewEntry<P>, post: (message: unknown) => void): FrameHost<P> {
    const frame = new FrameHost(entry, this.source, post, this.log, () => this.state);
    this.frames.add(frame as unknown as FrameHost);
    return frame;
  }

  detach(frame: FrameHost<AnyProtocol>): void {
    frame.dispose();
    this.frames.delete(frame);
  }

  get connection(): GatewayStateNote {
    return this.state;
  }

  /** Closes the stream and every frame's resources (sign-out, page unload). */
  stop(): void {
    this.stream?.close();
    this.stream = undefined;
    for (const frame of [...this.frames]) this.detach(frame);
  }

  private setState(next: GatewayStateNote): void {
    if (next.state === this.state.state && next.url === this.state.url) return;
    this.state = next;
    for (const frame of this.frames) frame.sendState();
    this.onState?.();
  }
}
