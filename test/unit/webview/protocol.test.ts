import { describe, expect, it } from 'vitest';
import { parseToHost, parseToView } from '../../../src/shared/webviews/protocol.js';
import { routesProtocol } from '../../../src/shared/webviews/routes-protocol.js';
import { serversProtocol } from '../../../src/shared/webviews/servers-protocol.js';

/**
 * The message contract in both directions: well-formed messages pass (typed), malformed ones are
 * rejected with a reason naming the view, the method and the field — never thrown.
 */
const server = {
  id: 's1',
  source: 'api',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  name: 'Memory',
  transport: 'stdio',
  command: 'node',
  args: [],
  env: {},
  headers: {},
  namespace: 'memory',
  enabled: true,
  idle_timeout_sec: 300,
  discovery: 'static',
  expose_unprefixed: false,
  max_instances: 1,
  tools: [{ name: 'read_graph' }],
  resources: [],
  resource_templates: [],
  prompts: [],
  discovered_at: null,
};

describe('view → host', () => {
  it.each([
    ['a snapshot request', { kind: 'request', id: 1, method: 'servers/snapshot', params: {} }],
    [
      'a create with a valid body',
      { kind: 'request', id: 2, method: 'servers/create', params: { body: { name: 'Memory', namespace: 'memory', command: 'npx' } } },
    ],
    ['a delete with cascade', { kind: 'request', id: 3, method: 'servers/delete', params: { id: 'memory', cascade: true } }],
    ['the ready notification', { kind: 'notify', method: 'view/ready', params: {} }],
    ['a dropped report', { kind: 'notify', method: 'view/dropped', params: { reason: 'x' } }],
  ])('accepts %s', (_, message) => {
    const parsed = parseToHost(serversProtocol, message);
    expect(parsed).toMatchObject({ ok: true, message: { kind: message.kind, method: message.method } });
  });

  it.each([
    ['not an object', 'hello', 'servers view → host: "kind" must be "request" or "notify", got nothing'],
    ['an unknown kind', { kind: 'response', id: 1 }, '"kind" must be "request" or "notify", got "response"'],
    ['a request without an id', { kind: 'request', method: 'servers/snapshot', params: {} }, 'malformed request: id:'],
    ['a negative id', { kind: 'request', id: -1, method: 'servers/snapshot', params: {} }, 'malformed request: id:'],
    ['an unknown method', { kind: 'request', id: 1, method: 'servers/format', params: {} }, 'unknown request method "servers/format"'],
    ['an inherited method name', { kind: 'request', id: 1, method: 'toString', params: {} }, 'unknown request method "toString"'],
    [
      'a bad namespace',
      { kind: 'request', id: 1, method: 'servers/create', params: { body: { name: 'x', namespace: 'Bad NS' } } },
      'request "servers/create": params.body.namespace: must match',
    ],
    [
      'an unknown body field',
      { kind: 'request', id: 1, method: 'servers/update', params: { id: 'a', body: { colour: 'red' } } },
      'params.body: Unrecognized key: "colour"',
    ],
    ['a missing cascade flag', { kind: 'request', id: 1, method: 'servers/delete', params: { id: 'a' } }, 'params.cascade:'],
    ['an extra envelope field', { kind: 'notify', method: 'view/ready', params: {}, extra: 1 }, 'malformed notification'],
    ['an unknown notification', { kind: 'notify', method: 'view/explode', params: {} }, 'unknown notification "view/explode"'],
  ])('rejects %s with a reason', (_, message, reason) => {
    const parsed = parseToHost(serversProtocol, message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('checks a route body with the gateway’s route schema (a leading "/" in path_glob)', () => {
    const parsed = parseToHost(routesProtocol, {
      kind: 'request',
      id: 1,
      method: 'routes/create',
      params: { body: { workspace_id: 'w', path_glob: '/src/**' } },
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain('params.body.path_glob: is relative to the workspace root');
  });
});

describe('host → view', () => {
  const snapshot = {
    folders: ['/p'],
    downstreams: [server],
    health: { ok: true, value: { status: 'ok', version: '1', downstreams: [{ server_id: 's1', state: 'ready', instances: [] }] } },
    visibility: { ok: false, error: { code: 'not_found', message: 'no such endpoint', status: 404, details: [] } },
  };

  it.each([
    ['a snapshot response', { kind: 'response', id: 1, method: 'servers/snapshot', ok: true, result: snapshot }],
    [
      'an error response',
      {
        kind: 'response',
        id: 2,
        method: 'servers/create',
        ok: false,
        error: { code: 'conflict', message: 'taken', status: 409, details: [{ path: 'namespace', message: 'taken' }] },
      },
    ],
    [
      'an error response to a method the view does not know',
      { kind: 'response', id: 3, method: '', ok: false, error: { code: 'invalid_message', message: 'bad', details: [] } },
    ],
    ['the gateway state', { kind: 'notify', method: 'gateway/state', params: { state: 'ready', url: 'http://127.0.0.1:8080' } }],
    [
      'a daemon event',
      { kind: 'notify', method: 'gateway/event', params: { type: 'downstream.state', server_id: 's1', state: 'failed', error: 'spawn ENOENT' } },
    ],
  ])('accepts %s', (_, message) => {
    expect(parseToView(serversProtocol, message).ok).toBe(true);
  });

  it('keeps fields of an answer the view does not read (a field the gateway adds later)', () => {
    const withExtra = { ...snapshot, health: { ok: true, value: { ...snapshot.health.value, draining: false } } };
    const parsed = parseToView(serversProtocol, { kind: 'response', id: 1, method: 'servers/snapshot', ok: true, result: withExtra });
    expect(parsed).toMatchObject({ ok: true, message: { result: { health: { value: { draining: false } } } } });
  });

  it.each([
    [
      'a result missing the list',
      { kind: 'response', id: 1, method: 'servers/snapshot', ok: true, result: { ...snapshot, downstreams: undefined } },
      'response to "servers/snapshot": result.downstreams:',
    ],
    [
      'a server without a namespace',
      { kind: 'response', id: 1, method: 'servers/snapshot', ok: true, result: { ...snapshot, downstreams: [{ ...server, namespace: undefined }] } },
      'result.downstreams.0.namespace',
    ],
    ['an error without a message', { kind: 'response', id: 1, method: 'servers/create', ok: false, error: { code: 'x', details: [] } }, 'error.message'],
    ['a response without an id', { kind: 'response', method: 'servers/snapshot', ok: true, result: snapshot }, 'malformed response: id:'],
    ['a response to an unknown method', { kind: 'response', id: 1, method: 'servers/nope', ok: true, result: {} }, 'response to unknown method "servers/nope"'],
    ['an unknown gateway state', { kind: 'notify', method: 'gateway/state', params: { state: 'sleeping' } }, 'notification "gateway/state": params.state:'],
    ['a request sent to the view', { kind: 'request', id: 1, method: 'servers/snapshot', params: {} }, '"kind" must be "response" or "notify", got "request"'],
  ])('rejects %s with a reason', (_, message, reason) => {
    const parsed = parseToView(serversProtocol, message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('rejects a routes notification with an empty tool name', () => {
    const parsed = parseToView(routesProtocol, { kind: 'notify', method: 'routes/runDryRun', params: { tool_name: '' } });
    expect(parsed.ok).toBe(false);
  });
});
