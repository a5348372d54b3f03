/**
 * The Audit view's filters as the user types them, and the `GET /audit` / stream query they make.
 * Pure (no DOM). The gateway validates the query again (and names the field in a 400); checking
 * here first puts the message beside the field before anything is sent.
 */

export const STATUSES = ['success', 'error', 'blocked'] as const;
/** Relative windows end now; `custom` takes `after`/`before` as typed. */
export const RANGES = ['any', '15m', '1h', '24h', '7d', 'custom'] as const;
export type Range = (typeof RANGES)[number];

const RANGE_MS: Record<Exclude<Range, 'any' | 'custom'>, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };
export const RANGE_LABELS: Record<Range, string> = {
  any: 'Any time',
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  custom: 'Between…',
};

/** The form: every field a string as typed (`''` = no filter). */
export interface FilterForm {
  tool_name: string;
  /** `''` or one of STATUSES. */
  status: string;
  error_code: string;
  workspace_id: string;
  session_id: string;
  range: Range;
  /** With `range: custom`: a date-time, RFC 3339 or `YYYY-MM-DD[ HH:MM[:SS]]` in local time. */
  after: string;
  before: string;
}

export const FILTER_FIELDS = ['tool_name', 'status', 'error_code', 'workspace_id', 'session_id', 'range', 'after', 'before'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** The query both `GET /audit` and the stream take (paging apart). Times are RFC 3339 UTC. */
export interface AuditFilterQuery {
  tool_name?: string;
  status?: (typeof STATUSES)[number];
  error_code?: string;
  workspace_id?: string;
  session_id?: string;
  after?: string;
  before?: string;
}

export function emptyFilter(): FilterForm {
  return { tool_name: '', status: '', error_code: '', workspace_id: '', session_id: '', range: 'any', after: '', before: '' };
}

/** The gateway's rule for an error code (a word, or a JSON-RPC code: a whole number). */
const ERROR_CODE = /^(?:[A-Za-z][A-Za-z0-9_.:-]{0,63}|-?\d{1,10})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** A typed time as an instant (ms), or undefined when it is not one. Local times are the viewer's. */
export function parseTime(text: string): number | undefined {
  const value = text.trim();
  if (RFC3339.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    return Number.isNaN(ms) ? undefined : ms;
  }
  const local = LOCAL.exec(value);
  if (!local) return undefined;
  const [year, month, day, hour, minute, second] = local.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(year!, month! - 1, day!, hour, minute, second);
  // Rejects 2026-02-30 and 25:00 (Date would roll them over).
  if (date.getFullYear() !== year || date.getMonth() !== month! - 1 || date.getDate() !== day || date.getHours() !== hour || date.getMinutes() !== minute) {
    return undefined;
  }
  return date.getTime();
}

export type FilterCheck = { ok: true; query: AuditFilterQuery } | { ok: false; errors: Partial<Record<FilterField, string>> };

/**
 * The query of a form at `now` (ms): relative ranges become `after = now − range`. Empty fields are
 * left out; text is trimmed.
 */
export function filterToQuery(form: FilterForm, now: number): FilterCheck {
  const errors: Partial<Record<FilterField, string>> = {};
  const query: AuditFilterQuery = {};
  for (const field of ['tool_name', 'workspace_id', 'session_id'] as const) {
    const value = form[field].trim();
    if (value) query[field] = value;
  }
  const status = form.status.trim();
  if (status) {
    if ((STATUSES as readonly string[]).includes(status)) query.status = status as AuditFilterQuery['status'];
    else errors.status = 'Choose success, error or blocked.';
  }
  const code = form.error_code.trim();
  if (code) {
    if (ERROR_CODE.test(code)) query.error_code = code;
    else errors.error_code = 'An error code is a word (denied, no_route, tool_error, timeout) or a JSON-RPC code (a whole number).';
  }
  if (form.range === 'custom') {
    for (const field of ['after', 'before'] as const) {
      const text = form[field].trim();
      if (!text) continue;
      const ms = parseTime(text);
      if (ms === undefined) errors[field] = 'Use a date-time such as 2026-01-31 09:30 (local) or 2026-01-31T09:30:00Z.';
      else query[field] = new Date(ms).toISOString();
    }
    if (query.after && query.before && query.after > query.before) errors.before = 'Must not be before “after”.';
  } else if (form.range !== 'any') {
    query.after = new Date(now - RANGE_MS[form.range]).toISOString();
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, query };
}

/** A filter handed in from outside (the `mcplexer.showAuditLog` command) as the form shows it. */
export function formFromQuery(query: AuditFilterQuery): FilterForm {
  const form = emptyFilter();
  for (const field of ['tool_name', 'status', 'error_code', 'workspace_id', 'session_id'] as const) form[field] = query[field] ?? '';
  if (query.after || query.before) {
    form.range = 'custom';
    form.after = query.after ?? '';
    form.before = query.before ?? '';
  }
  return form;
}

/** How many filters are set (the collapsed filter bar shows it). */
export function activeFilters(form: FilterForm): number {
  const text = (['tool_name', 'status', 'error_code', 'workspace_id', 'session_id'] as const).filter((f) => form[f].trim() !== '').length;
  return text + (form.range === 'any' || (form.range === 'custom' && !form.after.trim() && !form.before.trim()) ? 0 : 1);
}
