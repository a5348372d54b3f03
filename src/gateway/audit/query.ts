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

/** An RFC 3339 time, normalised to ISO 8601 UTC; an empty value counts as absent. */
const timeParam = (description: string) =>
  customParam(
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === '') return undefined;
        const ms = RFC3339.test(value) ? Date.parse(value.replace(' ', 'T')) : NaN;
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
  after: timeParam('RFC 3339, inclusive'),
  before: timeParam('RFC 3339, inclusive'),
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
