/**
 * The Audit view's list: pages of `GET /audit` and the live stream merged into one run of records,
 * newest first, with no record shown twice and none missing. Pure (no DOM), kept in `setState`.
 *
 * The invariant: `records` are exactly the newest `records.length` records that match the filter,
 * without a hole. It holds because
 * - the first page is the newest records (offset 0), and the stream is then opened with
 *   `Last-Event-ID` = the highest id of that page (`"0"` for an empty page), so the gateway sends
 *   every later record, from its store first, then live;
 * - a live record newer than every id seen goes on top; one at or below it was seen already (the
 *   stream resumed after a drop, a re-shown view resubscribed) and is dropped;
 * - an older page is asked at `offset = records.length`: new records only ever arrive on top, so
 *   that offset continues exactly below the last record held, and a record already held (the list
 *   shifted between two reads) is dropped by id;
 * - trimming to `MAX_KEPT` drops the oldest: the next older page starts there again.
 */

/** What the list needs of a record: its id (a decimal string; ids grow with time). */
export interface Identified {
  id: string;
}

export interface Page<R extends Identified> {
  data: R[];
  total: number;
}

export interface AuditList<R extends Identified> {
  /** Newest first. */
  records: R[];
  /** The gateway's count for the filter at the last page, plus the live records added since. */
  total: number;
  /** The highest id seen (page or stream): what a (re)subscription resumes after. `"0"` before any. */
  lastEventId: string;
}

/** The most records held (and saved in the view's state); older ones are paged in again on demand. */
export const MAX_KEPT = 1000;

/** Orders ids as numbers without losing precision (ids may pass 2^53): by length, then by digits. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const maxId = (a: string, b: string) => (compareIds(a, b) >= 0 ? a : b);

export function emptyList<R extends Identified>(): AuditList<R> {
  return { records: [], total: 0, lastEventId: '0' };
}

/** Newest first, each id once (the first of a duplicate kept). */
function ordered<R extends Identified>(records: readonly R[]): R[] {
  const seen = new Set<string>();
  const unique = records.filter((r) => !seen.has(r.id) && seen.add(r.id));
  return unique.sort((a, b) => compareIds(b.id, a.id));
}

function trimmed<R extends Identified>(list: AuditList<R>): AuditList<R> {
  return list.records.length <= MAX_KEPT ? list : { ...list, records: list.records.slice(0, MAX_KEPT) };
}

/** The list from a first page (offset 0): everything before it is replaced (a new filter). */
export function fromFirstPage<R extends Identified>(page: Page<R>): AuditList<R> {
  const records = ordered(page.data);
  return trimmed({ records, total: page.total, lastEventId: records.reduce((top, r) => maxId(top, r.id), '0') });
}

/** The offset of the next older page. */
export function nextOffset(list: AuditList<{ id: string }>): number {
  return list.records.length;
}

/** Whether the gateway holds older records than those in the list. */
export function hasOlder(list: AuditList<{ id: string }>): boolean {
  return list.records.length < list.total;
}

/**
 * An older page (asked at `nextOffset(list)`) appended below. Records already held are dropped by
 * id. `total` is the gateway's latest count.
 */
export function withOlderPage<R extends Identified>(list: AuditList<R>, page: Page<R>): AuditList<R> {
  const held = new Set(list.records.map((r) => r.id));
  const older = ordered(page.data.filter((r) => !held.has(r.id)));
  const records = [...list.records, ...older];
  return trimmed({ records, total: Math.max(page.total, records.length), lastEventId: records.reduce((top, r) => maxId(top, r.id), list.lastEventId) });
}

/**
 * A record from the stream: on top when newer than every id seen; otherwise it was seen already
 * (a replay after a reconnect) and the list is returned as is (the same object).
 */
export function withLive<R extends Identified>(list: AuditList<R>, record: R): AuditList<R> {
  if (compareIds(record.id, list.lastEventId) <= 0) return list;
  return trimmed({ records: [record, ...list.records], total: list.total + 1, lastEventId: record.id });
}
