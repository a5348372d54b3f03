import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeFilters, emptyFilter, filterToQuery, formFromQuery, parseTime, type FilterForm } from '../../../src/webview/audit/filter-model.js';
import {
  compareIds,
  emptyList,
  fromFirstPage,
  hasOlder,
  MAX_KEPT,
  nextOffset,
  withLive,
  withOlderPage,
  type AuditList,
} from '../../../src/webview/audit/list-model.js';

/**
 * The Audit view's models: the merge of paged and live records (no record twice, none missing,
 * whatever the interleaving of pages, live records and replays after a reconnect), and the filter
 * form → the query GET /audit and the stream take.
 */
type R = { id: string; n: number };
const rec = (id: number | string): R => ({ id: String(id), n: Number(id) });
/** The gateway's answer for offset/limit over `all` (newest first), as GET /audit pages. */
const page = (all: R[], offset: number, limit: number) => ({ data: all.slice(offset, offset + limit), total: all.length });
const ids = (list: AuditList<R>) => list.records.map((r) => r.id);

describe('compareIds', () => {
  it('orders decimal ids as numbers, past 2^53 and across lengths', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('1764532000000124', '1764532000000123')).toBeGreaterThan(0);
    expect(compareIds('90071992547409931', '90071992547409930')).toBeGreaterThan(0);
    expect(compareIds('42', '42')).toBe(0);
  });
});

describe('the list: first page, live records, older pages', () => {
  it('a first page sets lastEventId to its newest id; an empty one to "0"', () => {
    expect(fromFirstPage({ data: [rec(5), rec(4)], total: 9 })).toMatchObject({ lastEventId: '5', total: 9 });
    expect(fromFirstPage({ data: [], total: 0 }).lastEventId).toBe('0');
  });

  it('a live record goes on top once; a replayed one (id already seen) changes nothing', () => {
    let list = fromFirstPage({ data: [rec(3), rec(2)], total: 2 });
    list = withLive(list, rec(4));
    list = withLive(list, rec(5));
    const again = withLive(list, rec(4));
    expect(again).toBe(list);
    expect(withLive(list, rec(5))).toBe(list);
    expect(withLive(list, rec(1))).toBe(list);
    expect(ids(list)).toEqual(['5', '4', '3', '2']);
    expect(list).toMatchObject({ total: 4, lastEventId: '5' });
  });

  it('an older page asked after live records arrived continues exactly below the last record held', () => {
    // The gateway holds 1..10; the view loaded 10..8 (limit 3), then 11 and 12 arrived live.
    let all = Array.from({ length: 10 }, (_, i) => rec(10 - i));
    let list = fromFirstPage(page(all, 0, 3));
    all = [rec(12), rec(11), ...all];
    list = withLive(withLive(list, rec(11)), rec(12));
    expect(nextOffset(list)).toBe(5);
    list = withOlderPage(list, page(all, nextOffset(list), 3));
    expect(ids(list)).toEqual(['12', '11', '10', '9', '8', '7', '6', '5']);
    expect(hasOlder(list)).toBe(true);
  });

  it('a record already held in an older page (the list shifted between reads) is dropped by id', () => {
    const list = fromFirstPage({ data: [rec(10), rec(9)], total: 5 });
    const next = withOlderPage(list, { data: [rec(9), rec(8), rec(7)], total: 5 });
    expect(ids(next)).toEqual(['10', '9', '8', '7']);
  });

  it('keeps at most MAX_KEPT records (the oldest go, and come back as the next older page)', () => {
    let list = fromFirstPage({ data: [rec(1)], total: 1 });
    for (let i = 2; i <= MAX_KEPT + 5; i++) list = withLive(list, rec(i));
    expect(list.records).toHaveLength(MAX_KEPT);
    expect(list.records[0]!.id).toBe(String(MAX_KEPT + 5));
    expect(list.records.at(-1)!.id).toBe('6');
    expect(hasOlder(list)).toBe(true);
    expect(nextOffset(list)).toBe(MAX_KEPT);
  });

  it('property: any interleaving of live records (with replays) and older pages shows each record once, newest first, without a hole', () => {
    const step = fc.oneof(fc.constant({ kind: 'live' as const }), fc.constant({ kind: 'replay' as const }), fc.constant({ kind: 'older' as const }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.array(step, { maxLength: 60 }), (initial, limit, steps) => {
        // The gateway's records, newest first; live ones are appended on top as calls happen.
        const all = Array.from({ length: initial }, (_, i) => rec(initial - i));
        let next = initial + 1;
        let list: AuditList<R> = fromFirstPage(page(all, 0, limit));
        const delivered: R[] = [];
        for (const s of steps) {
          if (s.kind === 'live') {
            const r = rec(next++);
            all.unshift(r);
            delivered.push(r);
            list = withLive(list, r);
          } else if (s.kind === 'replay' && delivered.length > 0) {
            // A reconnect that resumed from an older id sends records seen already.
            for (const r of delivered.slice(-3)) list = withLive(list, r);
          } else if (s.kind === 'older' && hasOlder(list)) {
            list = withOlderPage(list, page(all, nextOffset(list), limit));
          }
        }
        // The list is exactly the newest records.length records of the gateway: no duplicate, no hole.
        expect(ids(list)).toEqual(all.slice(0, list.records.length).map((r) => r.id));
        expect(list.total).toBe(all.length);
        expect(list.lastEventId).toBe(all[0]?.id ?? '0');
      }),
    );
  });

  it('an empty list resumes from "0"', () => {
    expect(emptyList().lastEventId).toBe('0');
  });
});

describe('filter form → query', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const form = (over: Partial<FilterForm>): FilterForm => ({ ...emptyFilter(), ...over });

  it('an empty form is no filter', () => {
    expect(filterToQuery(emptyFilter(), now)).toEqual({ ok: true, query: {} });
  });

  it('text is trimmed; every filter field goes through', () => {
    expect(filterToQuery(form({ tool_name: ' ev__* ', status: 'error', error_code: 'tool_error', workspace_id: 'ws1', session_id: 's-1 ' }), now)).toEqual({
      ok: true,
      query: { tool_name: 'ev__*', status: 'error', error_code: 'tool_error', workspace_id: 'ws1', session_id: 's-1' },
    });
    expect(filterToQuery(form({ error_code: '-32602' }), now)).toEqual({ ok: true, query: { error_code: '-32602' } });
  });

  it.each([
    ['15m', '2026-03-01T11:45:00.000Z'],
    ['1h', '2026-03-01T11:00:00.000Z'],
    ['24h', '2026-02-28T12:00:00.000Z'],
    ['7d', '2026-02-22T12:00:00.000Z'],
  ] as const)('range %s → after = now − range', (range, after) => {
    expect(filterToQuery(form({ range }), now)).toEqual({ ok: true, query: { after } });
  });

  it('custom times: RFC 3339 and local date-times to UTC; after/before ignored outside custom', () => {
    expect(filterToQuery(form({ range: 'custom', after: '2026-01-31T09:30:00+01:00', before: '2026-01-31T10:00:00Z' }), now)).toEqual({
      ok: true,
      query: { after: '2026-01-31T08:30:00.000Z', before: '2026-01-31T10:00:00.000Z' },
    });
    const local = filterToQuery(form({ range: 'custom', after: '2026-01-31 09:30' }), now);
    expect(local).toEqual({ ok: true, query: { after: new Date(2026, 0, 31, 9, 30).toISOString() } });
    expect(filterToQuery(form({ range: 'any', after: 'garbage' }), now)).toEqual({ ok: true, query: {} });
  });

  it.each([
    [{ status: 'weird' }, 'status'],
    [{ error_code: 'no route' }, 'error_code'],
    [{ error_code: 'tool_*' }, 'error_code'],
    [{ range: 'custom', after: 'yesterday' }, 'after'],
    [{ range: 'custom', before: '2026-02-30 10:00' }, 'before'],
    [{ range: 'custom', after: '2026-01-02', before: '2026-01-01' }, 'before'],
  ] as const)('%j is refused at the field %s', (over, field) => {
    const checked = filterToQuery(form(over as Partial<FilterForm>), now);
    expect(checked.ok).toBe(false);
    expect(Object.keys((checked as { errors: object }).errors)).toEqual([field]);
  });

  it('parseTime rejects rolled-over dates and times', () => {
    expect(parseTime('2026-02-29')).toBeUndefined();
    expect(parseTime('2026-01-01 24:00')).toBeUndefined();
    expect(parseTime('2028-02-29')).toBe(new Date(2028, 1, 29).getTime());
  });

  it('a filter handed to the command comes back to the same query', () => {
    const query = { session_id: 's1', error_code: 'denied', after: '2026-01-01T00:00:00.000Z' };
    const back = formFromQuery(query);
    expect(back.range).toBe('custom');
    expect(filterToQuery(back, now)).toEqual({ ok: true, query });
    expect(activeFilters(back)).toBe(3);
    expect(activeFilters(emptyFilter())).toBe(0);
  });
});
