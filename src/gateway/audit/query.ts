import { z } from 'zod';
import { choiceParam, customParam, parseQuery, textParam, wholeParam } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { AuditFilter } from './store.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
const STATUSES = ['success', 'error', 'blocked'] as const;
/** An error code is a word (`no_route`, `tool_error`) or a JSON-RPC code as text (a negative whole number). */
const ERROR_CODE = /^(?:[A-Za-z][A-Za-z0-9_.:-]{0,63}|-?\d{1,10})$/;

/** RFC 3339 date-time (section 5.6): `T` or a space, optional fraction, `Z` or an offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 time as ms since the epoch, or NaN: the date must exist (`2026-02-30` does not;
 * `Date.parse` rolled it into March), and the fraction past milliseconds (the trail's precision)
 * is rounded so that the bound stays inclusive and exact: up for a lower bound (`after`), down for
 * an upper one (`before`), so `after=…14.9115Z` keeps out a record of `…14.911Z`.
 */
export function parseRfc3339(value: string, round: 'up' | 'down'): number {
  const m = RFC3339.exec(value);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return NaN;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return NaN;
  const ms = Date.parse(value.replace(' ', 'T'));
  const beyondMs = (m[7] ?? '').slice(4);
  return round === 'up' && /[1-9]/.test(beyondMs) ? ms + 1 : ms;
}

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

/** An RFC 3339 time, normalised to ISO 8601 UTC (`parseRfc3339`); an empty value counts as absent. */
const timeParam = (description: string, round: 'up' | 'down') =>
  customParam(
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === '') return undefined;
        const ms = parseRfc3339(value, round);
        if (!Number.isNaN(ms)) return new Date(ms).toISOString();
        ctx.addIssue({ code: 'custom', message: `"${value}" is not an RFC 3339 time; use e.g. 2026-01-31T09:30:00Z` });
        return z.NEVER;
      }),
    { openapi: { type: 'string', format: 'date-time' }, description },
  );

const errorCodeParam = customParam(
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      if (ERROR_CODE.test(value)) return value;
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not an error code; use a word such as denied, no_route, tool_error, timeout, or a JSON-RPC code (a whole number)`,
      });
      return z.NEVER;
    }),
  { openapi: { type: 'string' }, description: 'exact: a reason word (denied, no_route, tool_error, timeout, …) or a JSON-RPC code' },
);

/** The filters of `GET /audit` and `GET /audit/stream` (the OpenAPI document lists these same schemas). */
export const AUDIT_FILTER_PARAMS = {
  session_id: textParam('exact or glob'),
  workspace_id: textParam('exact or glob'),
  tool_name: textParam('exact or glob'),
  status: choiceParam(STATUSES),
  error_code: errorCodeParam,
  after: timeParam('RFC 3339, inclusive', 'up'),
  before: timeParam('RFC 3339, inclusive', 'down'),
};

/** `GET /audit`'s parameters: the filters and the page (`limit` clamped to 1–500, not refused). */
export const AUDIT_LIST_PARAMS = {
  ...AUDIT_FILTER_PARAMS,
  limit: wholeParam({ min: 1, max: MAX_LIMIT, default: DEFAULT_LIMIT, clamp: true, description: 'clamped to 1–500' }),
  offset: wholeParam({ min: 0, default: 0 }),
};

function filterOf(values: ReturnType<typeof parseQuery<typeof AUDIT_FILTER_PARAMS>>): AuditFilter {
  const filter: AuditFilter = {};
  for (const [field, value] of Object.entries(values)) if (value !== undefined) (filter as Record<string, unknown>)[field] = value;
  return filter;
}

/**
 * `GET /audit` query parameters: `session_id, workspace_id, tool_name` (exact or glob), `status`,
 * `error_code` (exact), `after`/`before` (RFC 3339, inclusive), `limit` (default 50, clamped to
 * 1–500), `offset` (≥ 0). An empty value is no filter.
 *
 * @throws GatewayError `validation_failed` (400, `invalid query parameter: <name>: …`): an unknown
 *   or misspelt parameter (the known ones listed), a repeated one, an unparsable time, a limit or
 *   offset that is not a whole number, a negative offset, an unknown status, an error code that is
 *   neither a word nor a number
 */
export function parseAuditQuery(query: Record<string, unknown>): AuditQuery {
  const { limit, offset, ...filters } = parseQuery(AUDIT_LIST_PARAMS, query);
  return { filter: filterOf(filters), limit: limit ?? DEFAULT_LIMIT, offset: offset ?? 0 };
}

/**
 * `GET /audit/stream` query parameters: the filters of `GET /audit` (a stream has no pages).
 * @throws GatewayError `validation_failed` (400) as `parseAuditQuery` does
 */
export function parseAuditStreamQuery(query: Record<string, unknown>): AuditFilter {
  return filterOf(parseQuery(AUDIT_FILTER_PARAMS, query));
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
