// GET /audit's query (and the stream's): the error_code filter, validated; and the live stream's
// filter, which must be every filter the store's replay applies (it once checked only three, so a
// stream asked for one session or one error code got every record).
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import { parseAuditQuery } from './query.js';
import type { AuditRow } from './row.js';
import { globRegExp, matches } from './stream.js';

function refusal(query: Record<string, unknown>): GatewayError {
  try {
    parseAuditQuery(query);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe('parseAuditQuery: error_code', () => {
  it.each(['no_route', 'tool_error', 'timeout', 'approval_denied', '-32602', '-32000', 'downstream_unavailable'])('accepts %s', (code) => {
    expect(parseAuditQuery({ error_code: code }).filter).toEqual({ error_code: code });
  });

  it('an empty value is no filter', () => {
    expect(parseAuditQuery({ error_code: '' }).filter).toEqual({});
  });

  it.each([['no route'], ['<script>'], ['x'.repeat(65)], ['32-602'], ['%'], ['tool_error*']])('refuses %j with a 400 naming error_code', (code) => {
    const error = refusal({ error_code: code });
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^invalid query parameter: error_code: /);
    expect(error.details).toEqual([{ path: 'error_code', message: expect.stringContaining('no_route') }]);
  });

  it('refuses it given twice, naming it', () => {
    const error = refusal({ error_code: ['denied', 'timeout'] });
    expect(error.details).toEqual([{ path: 'error_code', message: expect.any(String) }]);
  });

  it('combines with the other filters', () => {
    expect(parseAuditQuery({ status: 'blocked', error_code: 'denied', session_id: 's1' }).filter).toEqual({
      status: 'blocked',
      error_code: 'denied',
      session_id: 's1',
    });
  });
});

function row(over: Partial<AuditRow>): AuditRow {
  return {
    id: 1,
    method: 'tools/call',
    timestamp: '2026-01-01T10:00:00.000Z',
    session_id: 's1',
    client_type: null,
    model: null,
    workspace_id: 'w1',
    workspace_name: 'W',
    subpath: '',
    tool_name: 'ev__echo',
    params_redacted: null,
    route_rule_id: null,
    downstream_server_id: null,
    downstream_instance_id: null,
    auth_scope_id: null,
    status: 'error',
    error_code: 'timeout',
    error_message: null,
    latency_ms: 1,
    response_size: 0,
    cache_hit: 0,
    created_at: '2026-01-01T10:00:00.001Z',
    approval_id: null,
    ...over,
  };
}

describe('the live stream applies every filter of GET /audit', () => {
  const cases: Array<[string, Record<string, string>, Partial<AuditRow>, boolean]> = [
    ['session_id, same', { session_id: 's1' }, {}, true],
    ['session_id, other', { session_id: 's1' }, { session_id: 's2' }, false],
    ['error_code, same', { error_code: 'timeout' }, {}, true],
    ['error_code, other', { error_code: 'timeout' }, { error_code: 'tool_error' }, false],
    ['error_code, a success (null)', { error_code: 'timeout' }, { status: 'success', error_code: null }, false],
    ['after, equal (inclusive)', { after: '2026-01-01T10:00:00Z' }, {}, true],
    ['after, earlier row', { after: '2026-01-01T10:00:01Z' }, {}, false],
    ['before, equal (inclusive)', { before: '2026-01-01T10:00:00Z' }, {}, true],
    ['before, later row', { before: '2026-01-01T09:59:59.999Z' }, {}, false],
    ['workspace, other', { workspace_id: 'w2' }, {}, false],
    ['status, other', { status: 'success' }, {}, false],
    ['tool glob', { tool_name: 'ev__*' }, {}, true],
    ['tool glob, other', { tool_name: 'fs__*' }, {}, false],
  ];
  it.each(cases)('%s', (_name, query, over, expected) => {
    const { filter } = parseAuditQuery(query);
    const glob = filter.tool_name === undefined ? undefined : globRegExp(filter.tool_name);
    expect(matches(row(over), filter, glob)).toBe(expected);
  });
});
