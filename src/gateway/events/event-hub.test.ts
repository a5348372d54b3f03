import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.js';

const ids = (replay: ReturnType<EventHub['since']>) => (replay.kind === 'events' ? replay.events.map((e) => e.id) : replay.kind);

describe('EventHub: numbered events, a bounded ring, replay after Last-Event-ID', () => {
  it('numbers events from 1 and writes each as one SSE frame', () => {
    const hub = new EventHub(4);
    const first = hub.publish('tools.changed', { server_id: 'ev' });
    expect(first).toEqual({ id: 1, type: 'tools.changed', data: { server_id: 'ev' } });
    const seen: string[] = [];
    hub.subscribe((event) => seen.push(event.frame));
    hub.publish('windows.changed', {});
    expect(seen).toEqual(['id: 2\nevent: windows.changed\ndata: {}\n\n']);
  });

  it('replays what followed the given id, also after the ring wrapped', () => {
    const hub = new EventHub(4);
    for (let i = 0; i < 6; i += 1) hub.publish('windows.changed', {});
    expect(ids(hub.since(6))).toEqual([]);
    expect(ids(hub.since(4))).toEqual([5, 6]);
    expect(ids(hub.since(2))).toEqual([3, 4, 5, 6]);
    hub.publish('windows.changed', {});
    expect(ids(hub.since(3))).toEqual([4, 5, 6, 7]);
  });

  it('answers resync when the ring no longer reaches back, or the id is from another daemon', () => {
    const hub = new EventHub(4);
    for (let i = 0; i < 10; i += 1) hub.publish('windows.changed', {});
    expect(ids(hub.since(5))).toBe('resync');
    expect(ids(hub.since(0))).toBe('resync');
    expect(ids(hub.since(11))).toBe('resync');
    expect(ids(new EventHub(4).since(3))).toBe('resync');
    expect(ids(new EventHub(4).since(0))).toEqual([]);
  });

  it('stops calling a listener once unsubscribed', () => {
    const hub = new EventHub();
    let calls = 0;
    const off = hub.subscribe(() => (calls += 1));
    hub.publish('windows.changed', {});
    off();
    hub.publish('windows.changed', {});
    expect([calls, hub.subscribers]).toEqual([1, 0]);
  });
});
