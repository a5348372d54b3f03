import type { Logger } from '../log.js';
import { presentRow, type AuditRow, type NameLookup } from './row.js';
import type { AuditFilter } from './store.js';

/** What a stream writes to (a Node `ServerResponse` is one). `write` answers false when the reader is behind. */
export interface StreamTarget {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): unknown;
}

/** A reader this many events behind (not yet taken by its socket) is cut off; it resumes by id. */
export const MAX_BEHIND = 64;
/** A `:` comment this often keeps proxies and idle timers from closing a quiet stream (ms). */
export const HEARTBEAT_MS = 15_000;
/** Rows per replay read. */
const REPLAY_PAGE = 256;

export interface StreamHubOptions {
  names: NameLookup;
  /** Rows above an id, oldest first (the store, after the writer's pending rows are written). */
  replay: (afterId: number, filter: AuditFilter, limit: number) => Promise<AuditRow[]>;
  /** Writes every row built so far, so that a replay from the store misses none. */
  flush: () => Promise<void>;
  logger?: Logger;
  heartbeatMs?: number;
  maxBehind?: number;
}

interface Reader {
  target: StreamTarget;
  filter: AuditFilter;
  /** Events waiting for the socket (while it drains, or while the replay runs). */
  queue: AuditRow[];
  /** The last id sent; the replay and the live feed never send an id twice. */
  lastSent: number;
  waiting: boolean;
  live: boolean;
  /** Near the end of a replay: live events queue (they are sent once the replay is done). */
  collecting: boolean;
  closed: boolean;
}

/**
 * Whether a row passes a stream's filters: every filter of `GET /audit` (the store's replay applies
 * the same ones, so a resumed stream and a live one agree). Times compare as RFC 3339 text in the
 * one format the rows and the parsed filters share (`toISOString`), as the store compares them.
 */
export function matches(row: AuditRow, filter: AuditFilter, toolName: RegExp | undefined): boolean {
  if (filter.session_id !== undefined && row.session_id !== filter.session_id) return false;
  if (filter.workspace_id !== undefined && row.workspace_id !== filter.workspace_id) return false;
  if (filter.status !== undefined && row.status !== filter.status) return false;
  if (filter.error_code !== undefined && row.error_code !== filter.error_code) return false;
  if (filter.after !== undefined && row.timestamp < filter.after) return false;
  if (filter.before !== undefined && row.timestamp > filter.before) return false;
  if (toolName && !toolName.test(row.tool_name)) return false;
  return true;
}

/** A tool-name glob as an anchored RegExp (the same meaning as the store's LIKE). */
export function globRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*+/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${body}$`);
}

/**
 * The live audit stream (SSE): each reader gets `id: <id>`, `event: audit`, `data: <record>`,
 * a `:` heartbeat every 15 s, and first, when it sent `Last-Event-ID`, the records it missed, from
 * the store. Backpressure is honoured: while the socket drains, events queue; a reader
 * `MAX_BEHIND` events behind is cut off (the original dropped them silently) and resumes by id.
 */
export class AuditStreamHub {
  private readers = new Set<Reader>();
  private readonly toolNames = new WeakMap<Reader, RegExp>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBehind: number;

  constructor(private readonly options: StreamHubOptions) {
    this.maxBehind = options.maxBehind ?? MAX_BEHIND;
    this.heartbeat = setInterval(() => {
      for (const reader of this.readers) if (!reader.waiting) reader.waiting = !reader.target.write(':\n\n') && this.waitDrain(reader);
    }, options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Starts a stream on `target` (headers already sent). Replays from the store first when
   * `lastEventId` is given. Returns the function that ends it (call it when the client goes away).
   */
  open(target: StreamTarget, filter: AuditFilter, lastEventId: number | undefined): () => void {
    const reader: Reader = {
      target,
      filter,
      queue: [],
      lastSent: lastEventId ?? 0,
      waiting: false,
      live: lastEventId === undefined,
      collecting: false,
      closed: false,
    };
    if (filter.tool_name !== undefined) this.toolNames.set(reader, globRegExp(filter.tool_name));
    this.readers.add(reader);
    target.write(': audit stream\n\n');
    if (!reader.live) void this.replay(reader);
    return () => this.drop(reader, false);
  }

  /** A new row, built off the call: queued for every reader whose filters it passes. */
  publish(row: AuditRow): void {
    for (const reader of this.readers) {
      if ((!reader.live && !reader.collecting) || !matches(row, reader.filter, this.toolNames.get(reader))) continue;
      reader.queue.push(row);
      if (reader.queue.length > this.maxBehind) this.cut(reader);
      else if (reader.live && !reader.waiting) this.pump(reader);
    }
  }

  /** Ends every stream (the gateway stops). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const reader of this.readers) this.drop(reader, true);
  }

  /**
   * Sends what the reader missed, from the store, page by page (waiting for the socket between
   * pages). Near the end it starts collecting live events, writes the writer's pending rows and
   * reads once more, so that no row falls between the store and the live feed; ids already sent
   * are skipped.
   */
  private async replay(reader: Reader): Promise<void> {
    try {
      await this.options.flush();
      for (;;) {
        const rows = await this.options.replay(reader.lastSent, reader.filter, REPLAY_PAGE);
        if (reader.closed) return;
        for (const row of rows) this.send(reader, row);
        if (reader.waiting) await new Promise<void>((resolve) => reader.target.once('drain', resolve));
        reader.waiting = false;
        if (rows.length === REPLAY_PAGE) {
          reader.collecting = false;
          reader.queue = [];
        } else if (reader.collecting) break;
        else {
          reader.collecting = true;
          await this.options.flush();
        }
      }
    } catch (error) {
      this.options.logger?.error('audit stream replay failed; the reader is disconnected', { reason: error instanceof Error ? error.message : String(error) });
      this.drop(reader, true);
      return;
    }
    if (reader.closed) return;
    reader.live = true;
    this.pump(reader);
  }

  private pump(reader: Reader): void {
    while (reader.queue.length > 0 && !reader.waiting && !reader.closed) {
      const row = reader.queue.shift()!;
      if (row.id > reader.lastSent) this.send(reader, row);
    }
    if (reader.waiting) this.waitDrain(reader);
  }

  private send(reader: Reader, row: AuditRow): void {
    reader.lastSent = row.id;
    const ok = reader.target.write(`id: ${row.id}\nevent: audit\ndata: ${JSON.stringify(presentRow(row, this.options.names))}\n\n`);
    if (!ok) reader.waiting = true;
  }

  private waitDrain(reader: Reader): boolean {
    reader.target.once('drain', () => {
      reader.waiting = false;
      if (reader.live) this.pump(reader);
    });
    return true;
  }

  private cut(reader: Reader): void {
    this.options.logger?.warn('audit stream reader fell behind; disconnected (it resumes with Last-Event-ID)', {
      behind: reader.queue.length,
      last_id: reader.lastSent,
    });
    this.drop(reader, true);
  }

  private drop(reader: Reader, end: boolean): void {
    if (reader.closed) return;
    reader.closed = true;
    reader.queue = [];
    this.readers.delete(reader);
    if (end) reader.target.end();
  }
}
