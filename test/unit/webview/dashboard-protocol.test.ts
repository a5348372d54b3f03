import { describe, expect, it } from 'vitest';
import { dashboardProtocol } from '../../../src/shared/webviews/dashboard-protocol.js';
import { parseToHost, parseToView } from '../../../src/shared/webviews/protocol.js';
import { sampleSnapshot } from './dashboard-sample.js';

/** The Dashboard's messages both ways: well-formed ones pass typed, malformed ones are refused with a reason naming the field. */
describe('Dashboard protocol, view → host', () => {
  it.each([
    ['subscribe', { kind: 'request', id: 1, method: 'dashboard/subscribe', params: { range: '24h' } }],
    ['a snapshot', { kind: 'request', id: 2, method: 'dashboard/snapshot', params: { range: '7d' } }],
    ['a flush of everything', { kind: 'request', id: 3, method: 'dashboard/flushCache', params: { layer: 'all' } }],
    ['a flush of one server', { kind: 'request', id: 4, method: 'dashboard/flushCache', params: { layer: 'tool_call', server_id: 'everything' } }],
    ['ready', { kind: 'notify', method: 'view/ready', params: {} }],
  ])('accepts %s', (_, message) => {
    expect(parseToHost(dashboardProtocol, message)).toMatchObject({ ok: true, message: { method: message.method } });
  });

  it.each([
    ['an unknown range', { kind: 'request', id: 1, method: 'dashboard/subscribe', params: { range: '2h' } }, 'params.range:'],
    ['a missing range', { kind: 'request', id: 1, method: 'dashboard/snapshot', params: {} }, 'params.range:'],
    ['an unknown layer', { kind: 'request', id: 1, method: 'dashboard/flushCache', params: { layer: 'everything' } }, 'params.layer:'],
    [
      'an empty server_id',
      { kind: 'request', id: 1, method: 'dashboard/flushCache', params: { layer: 'tool_call', server_id: '' } },
      'params.server_id: must not be empty',
    ],
    ['an extra field', { kind: 'request', id: 1, method: 'dashboard/subscribe', params: { range: '1h', live: true } }, 'Unrecognized key: "live"'],
  ])('refuses %s', (_, message, reason) => {
    const parsed = parseToHost(dashboardProtocol, message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('Dashboard protocol, host → view', () => {
  it('accepts a snapshot as GET /dashboard gives it, keeping fields a newer gateway adds', () => {
    const snapshot = { ...sampleSnapshot(), some_new_field: 1 };
    const parsed = parseToView(dashboardProtocol, { kind: 'notify', method: 'dashboard/update', params: { snapshot } });
    expect(parsed).toMatchObject({ ok: true, message: { params: { snapshot: { range: '1h', stats: { total_requests: 7 } } } } });
    const answer = parseToView(dashboardProtocol, { kind: 'response', id: 1, method: 'dashboard/subscribe', ok: true, result: sampleSnapshot() });
    expect(answer.ok).toBe(true);
  });

  it.each([
    [
      'a snapshot without timeseries',
      { kind: 'notify', method: 'dashboard/update', params: { snapshot: { ...sampleSnapshot(), timeseries: undefined } } },
      'params.snapshot.timeseries:',
    ],
    [
      'a bucket whose total is text',
      {
        kind: 'notify',
        method: 'dashboard/update',
        params: { snapshot: { ...sampleSnapshot(), timeseries: [{ ...sampleSnapshot().timeseries[0], total: '4' }] } },
      },
      'params.snapshot.timeseries.0.total:',
    ],
    ['an unknown live status', { kind: 'notify', method: 'dashboard/live', params: { status: 'paused' } }, 'params.status:'],
    [
      'a flush answer without its message',
      { kind: 'response', id: 1, method: 'dashboard/flushCache', ok: true, result: { cache_stats: sampleSnapshot().cache_stats } },
      'result.message:',
    ],
  ])('refuses %s', (_, message, reason) => {
    const parsed = parseToView(dashboardProtocol, message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});
