import { describe, expect, it } from 'vitest';
import { ArgumentRedactor } from './redact.js';
import { buildRow, MAX_ERROR_CHARS, MAX_PARAMS_CHARS, type AuditCallFields } from './row.js';

const fields = (over: Partial<AuditCallFields>): AuditCallFields => ({
  method: 'tools/call',
  timestamp: '2026-12-01T00:00:00.000Z',
  session_id: 's',
  client_type: null,
  model: null,
  workspace_id: 'global',
  workspace_name: 'Global',
  subpath: null,
  tool_name: 'ev__echo',
  route_rule_id: null,
  downstream_server_id: null,
  downstream_instance_id: null,
  auth_scope_id: null,
  status: 'error',
  error_code: 'tool_error',
  error_message: null,
  latency_ms: 1,
  response_size: 0,
  cache_hit: false,
  args: undefined,
  approval_id: null,
  ...over,
});
const redactor = new ArgumentRedactor({});

describe('a row keeps bounded text', () => {
  it.each([
    ['an error message one character over', MAX_ERROR_CHARS + 1],
    ['an error message of 1 MB', 1_000_000],
  ])('%s: the first 4,096 characters and its length', (_label, length) => {
    const row = buildRow(fields({ error_message: 'e'.repeat(length) }), 1, '2026-12-01T00:00:00.000Z', redactor);
    expect(row.error_message).toBe(`${'e'.repeat(MAX_ERROR_CHARS)}… (${length} characters in all; the rest is not kept)`);
  });

  it('an error message at the limit, and arguments at it, are kept whole', () => {
    const message = 'e'.repeat(MAX_ERROR_CHARS);
    const args = { m: 'a'.repeat(MAX_PARAMS_CHARS - '{"m":""}'.length) };
    const row = buildRow(fields({ error_message: message, args }), 1, '2026-12-01T00:00:00.000Z', redactor);
    expect(row.error_message).toBe(message);
    expect(JSON.parse(row.params_redacted!)).toEqual(args);
  });

  it('arguments past the limit: a preview (redacted first) and the length, as JSON', () => {
    const args = { api_key: 'sk-live-0123456789abcdef0123', m: 'a'.repeat(MAX_PARAMS_CHARS) };
    const row = buildRow(fields({ args }), 1, '2026-12-01T00:00:00.000Z', redactor);
    const kept = JSON.parse(row.params_redacted!);
    expect(kept).toMatchObject({ _truncated: true, length: expect.any(Number) });
    expect(kept.preview).toMatch(/^\{"api_key":"\[REDACTED\]","m":"a+$/);
    expect(kept.preview).toHaveLength(4096);
    expect(row.params_redacted).not.toContain('sk-live');
  });
});
