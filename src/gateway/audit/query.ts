import { GatewayError } from '../errors.js';
import type { AuditFilter } from './store.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
const STATUSES = ['success', 'error', 'blocked'] as const;
/** An error code is a word (`no_route`, `tool_error`) or a JSON-RPC code as text (a negative whole number). */
const ERROR_CODE = /^(?:[A-Za-z][A-Za-z0-9_.:-]{0,63}|-?\d{1,10})$/;

/** RFC 3339 date-time (section 5.6): `T` or a space, optional fraction, `Z` or an offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

export interface AuditQuery {
  filter: AuditFilter;
  /** Effective: 1–500, default 50. */
  limit: number;
  /** Effective: ≥ 0, default 0. */
  offset: number;
}

function invalid(field: string, message: string): GatewayError {
  return new GatewayError('validation_failed', `${field}: ${message}`, { details: [{ path: field, message }] });
}

function single(query: Record<string, unknown>, field: string): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(field, 'give it once, as a plain value');
  return value;
}

function time(query: Record<string, unknown>, field: string): string | undefined {
  const value = single(query, field);
  if (value === undefined || value === '') return undefined;
  const ms = RFC3339.test(value) ? Date.parse(value.replace(' ', 'T')) : NaN;
  if (Number.isNaN(ms)) throw invalid(field, `"${value}" is not an RFC 3339 time; use e.g. 2026-01-31T09:30:00Z`);
  return new Date(ms).toISOString();
}

function whole(query: Record<string, unknown>, field: string): number | undefined {
  const value = single(query, field);
  if (value === undefined || value === '') return undefined;
  if (!/^[+-]?\d{1,15}$/.test(value.trim())) throw invalid(field, `"${value}" is not a whole number`);
  return Number(value);
}

/**
 * `GET /audit` and `GET /audit/stream` query parameters: `session_id, workspace_id, tool_name`
 * (exact or glob), `status`, `error_code` (exact), `after`/`before` (RFC 3339, inclusive), `limit`
 * (default 50, clamped to 1–500), `offset` (≥ 0). Unknown parameters are ignored, as the original does.
 *
 * @throws GatewayError `validation_failed` (400) naming the field: an unparsable time, a limit or
 *   offset that is not a whole number, a negative offset, an unknown status, an error code that is
 *   neither a word nor a number, a repeated parameter
 */
export function parseAuditQuery(query: Record<string, unknown>): AuditQuery {
  const filter: AuditFilter = {};
  for (const field of ['session_id', 'workspace_id', 'tool_name'] as const) {
    const value = single(query, field);
    if (value !== undefined && value !== '') filter[field] = value;
  }
  const status = single(query, 'status');
  if (status !== undefined && status !== '') {
    if (!(STATUSES as readonly string[]).includes(status)) throw invalid('status', `"${status}" is not a status; use success, error or blocked`);
    filter.status = status as AuditFilter['status'];
  }
  const errorCode = single(query, 'error_code');
  if (errorCode !== undefined && errorCode !== '') {
    if (!ERROR_CODE.test(errorCode)) {
      throw invalid(
        'error_code',
        `"${errorCode}" is not an error code; use a word such as denied, no_route, tool_error, timeout, or a JSON-RPC code (a whole number)`,
      );
    }
    filter.error_code = errorCode;
  }
  const after = time(query, 'after');
  const before = time(query, 'before');
  if (after !== undefined) filter.after = after;
  if (before !== undefined) filter.before = before;
  const limit = whole(query, 'limit');
  const offset = whole(query, 'offset');
  if (offset !== undefined && offset < 0) throw invalid('offset', 'must be 0 or more');
  return { filter, limit: Math.min(MAX_LIMIT, Math.max(1, limit ?? DEFAULT_LIMIT)), offset: offset ?? 0 };
}

/**
 * The stream's `Last-Event-ID` (header) as an id.
 * @throws GatewayError `validation_failed` naming `Last-Event-ID` when it is not a whole number ≥ 0
 */
export function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,16}$/.test(value.trim())) throw invalid('Last-Event-ID', `"${value}" is not an audit record id (a whole number)`);
  return Number(value.trim());
}
