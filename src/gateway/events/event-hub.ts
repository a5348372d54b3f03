import { EVENT_RING_SIZE, type GatewayEvent, type GatewayEventData, type GatewayEventType } from '../../shared/schemas/daemon.js';

/** One published event with its SSE frame, written once and sent to every subscriber as is. */
export interface HubEvent {
  readonly id: number;
  readonly type: GatewayEventType;
  /** `id: <n>\nevent: <type>\ndata: <json>\n\n` */
  readonly frame: string;
}

/** What a client resuming after `Last-Event-ID` gets: the events it missed, or `resync` when they are gone. */
export type Replay = { kind: 'events'; events: readonly HubEvent[] } | { kind: 'resync' };

type Listener = (event: HubEvent) => void;

/** The SSE frame of an event (the data is one JSON line, so no `data:` continuation is needed). */
export function sseFrame(id: number, type: string, data: unknown): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The daemon's event stream: numbered events (ids from 1, one daemon's life long) kept in a
 * bounded ring for replay, and handed to subscribers as they are published. Memory is bounded by
 * the ring; a subscriber that cannot keep up is the writer's to drop (http/routers/events.ts).
 */
export class EventHub {
  private readonly ring: HubEvent[] = [];
  private head = 0;
  private nextId = 1;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly capacity = EVENT_RING_SIZE) {}

  /** The id of the newest event (0 before the first). */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** Publishes an event: numbered, kept in the ring, handed to every subscriber. */
  publish<T extends GatewayEventType>(type: T, data: GatewayEventData[T]): GatewayEvent {
    const id = this.nextId++;
    const event: HubEvent = { id, type, frame: sseFrame(id, type, data) };
    if (this.ring.length < this.capacity) this.ring.push(event);
    else {
      this.ring[this.head] = event;
      this.head = (this.head + 1) % this.capacity;
    }
    for (const listener of this.listeners) listener(event);
    return { id, type, data } as GatewayEvent;
  }

  /**
   * The events after `lastId`, oldest first. An id the ring no longer reaches back to, or one
   * newer than any event of this daemon (the client saw an earlier daemon), gives `resync`.
   */
  since(lastId: number): Replay {
    if (lastId === this.lastId) return { kind: 'events', events: [] };
    const oldest = this.ring.length === 0 ? this.nextId : this.ring[this.head]!.id;
    if (lastId > this.lastId || lastId < oldest - 1) return { kind: 'resync' };
    const ordered = this.head === 0 ? this.ring : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
    return { kind: 'events', events: ordered.slice(lastId - oldest + 1) };
  }

  /** Calls `listener` with every event published from now on, until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
