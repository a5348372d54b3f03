import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Every POST/PUT endpoint, fed malformed JSON, non-object JSON, wrong types, unknown fields and
 * bodies over 1 MiB: a 4xx whose details name the field ("" for the whole body), and config.json
 * byte-identical afterwards.
 */
let t: TestGateway;
const ids = { workspace: '', downstream: '', route: '', scope: '' };
beforeAll(async () => {
  t = await startTestGateway();
  ids.workspace = (await t.api('POST', '/workspaces', { name: 'Bad input', root_path: '/srv/bad' })).body.id;
  ids.downstream = (await t.api('POST', '/downstreams', { name: 'Target', command: 'node', namespace: 'target' })).body.id;
  ids.route = (await t.api('POST', '/routes', { workspace_id: ids.workspace, tool_pattern: 'target__*' })).body.id;
  ids.scope = (await t.api('POST', '/auth-scopes', { name: 'target-scope', env_vars: { T: 'secret' } })).body.id;
});
afterAll(() => t?.close());

interface Endpoint {
  name: string;
  method: 'POST' | 'PUT';
  path: () => string;
  /** A body the endpoint accepts, to which one bad field is added. */
  valid: () => Record<string, unknown>;
  /** Wrong-typed fields and the error path each must produce. */
  wrongTypes: Array<[Record<string, unknown>, string]>;
  /** Body shape errors (non-object JSON) name this path. */
  shapePath?: string;
}

const endpoints: Endpoint[] = [
  {
    name: 'POST /workspaces',
    method: 'POST',
    path: () => '/workspaces',
    valid: () => ({ name: 'New ws', root_path: '/srv/new' }),
    wrongTypes: [
      [{ name: 5 }, 'name'],
      [{ root_path: ['/a'] }, 'root_path'],
      [{ default_policy: true }, 'default_policy'],
      [{ tags: 'x' }, 'tags'],
      [{ id: 7 }, 'id'],
    ],
  },
  {
    name: 'PUT /workspaces/{id}',
    method: 'PUT',
    path: () => `/workspaces/${ids.workspace}`,
    valid: () => ({ name: 'Renamed ws' }),
    wrongTypes: [
      [{ root_path: 42 }, 'root_path'],
      [{ default_policy: 'maybe' }, 'default_policy'],
      [{ name: null }, 'name'],
    ],
  },
  {
    name: 'POST /downstreams',
    method: 'POST',
    path: () => '/downstreams',
    valid: () => ({ name: 'New server', command: 'node', namespace: 'newsrv' }),
    wrongTypes: [
      [{ args: 'a b' }, 'args'],
      [{ env: { A: 1 } }, 'env.A'],
      [{ enabled: 'yes' }, 'enabled'],
      [{ idle_timeout_sec: -1 }, 'idle_timeout_sec'],
      [{ transport: 'carrier-pigeon' }, 'transport'],
      [{ url: 'ftp://x' }, 'url'],
    ],
  },
  {
    name: 'PUT /downstreams/{id}',
    method: 'PUT',
    path: () => `/downstreams/${ids.downstream}`,
    valid: () => ({ args: ['--x'] }),
    wrongTypes: [
      [{ idle_timeout_sec: 'long' }, 'idle_timeout_sec'],
      [{ headers: ['x'] }, 'headers'],
      [{ disabled: 'no' }, 'enabled'],
      [{ namespace: 5 }, 'namespace'],
    ],
  },
  {
    name: 'POST /routes',
    method: 'POST',
    path: () => '/routes',
    valid: () => ({ workspace_id: ids.workspace, tool_pattern: 'target__new' }),
    wrongTypes: [
      [{ priority: 'high' }, 'priority'],
      [{ priority: 1.5 }, 'priority'],
      [{ tool_pattern: 5 }, 'tool_pattern'],
      [{ tool_pattern: [] }, 'tool_pattern'],
      [{ workspace_id: 5 }, 'workspace_id'],
      [{ approval_timeout_sec: '60' }, 'approval_timeout_sec'],
    ],
  },
  {
    name: 'PUT /routes/{id}',
    method: 'PUT',
    path: () => `/routes/${ids.route}`,
    valid: () => ({ priority: 7 }),
    wrongTypes: [
      [{ tool_pattern: { a: 1 } }, 'tool_pattern'],
      [{ policy: 'sometimes' }, 'policy'],
      [{ path_glob: 3 }, 'path_glob'],
    ],
  },
  {
    name: 'POST /routes/bulk',
    method: 'POST',
    path: () => '/routes/bulk',
    valid: () => ({ rules: [{ workspace_id: ids.workspace, tool_pattern: 'target__bulk' }] }),
    wrongTypes: [
      [{ rules: 'many' }, 'rules'],
      [{ rules: [{ workspace_id: ids.workspace, priority: 'x' }] }, 'rules.0.priority'],
      [{ rules: [5] }, 'rules.0'],
    ],
    shapePath: 'rules',
  },
  {
    name: 'POST /auth-scopes',
    method: 'POST',
    path: () => '/auth-scopes',
    valid: () => ({ name: 'new-scope' }),
    wrongTypes: [
      [{ env_vars: { A: 1 } }, 'env_vars.A'],
      [{ env_vars: 'A=1' }, 'env_vars'],
      [{ type: 'kerberos' }, 'type'],
      [{ redaction_hints: 'x' }, 'redaction_hints'],
    ],
  },
  {
    name: 'PUT /auth-scopes/{id}',
    method: 'PUT',
    path: () => `/auth-scopes/${ids.scope}`,
    valid: () => ({ name: 'renamed-scope' }),
    wrongTypes: [
      [{ env_vars: { T: 5 } }, 'env_vars.T'],
      [{ redaction_hints: [1] }, 'redaction_hints.0'],
      [{ server_id: 5 }, 'server_id'],
    ],
  },
  {
    name: 'PUT /settings',
    method: 'PUT',
    path: () => '/settings',
    valid: () => ({ tools_cache_ttl_sec: 20 }),
    wrongTypes: [
      [{ slim_tools: 'true' }, 'slim_tools'],
      [{ tools_cache_ttl_sec: '15' }, 'tools_cache_ttl_sec'],
      [{ log_level: 3 }, 'log_level'],
      [{ tool_description_overrides: { a: 1 } }, 'tool_description_overrides.a'],
    ],
  },
];

const unknownPath = (e: Endpoint, field: string) => (e.name === 'POST /routes/bulk' ? 'rules.0.' + field : field);

/** Sends `body` and checks: 4xx (or exactly `status`), `path` among the details, config.json untouched. */
async function refused(e: Endpoint, body: unknown, path: string, status?: number) {
  const before = t.configText();
  const res = await t.api(e.method, e.path(), body);
  if (status) expect(res.status).toBe(status);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.body?.error?.code, res.text).toBeTypeOf('string');
  expect(errorPaths(res.body), res.text).toContain(path);
  expect(t.configText()).toBe(before);
  return res;
}

describe.each(endpoints)('$name', (e) => {
  it('refuses malformed JSON with 400, path ""', async () => {
    for (const text of ['{"name": ', '{name: "x"}', "{'a': 1}", '{"a":1,}', 'not json at all']) await refused(e, text, '', 400);
  });

  it('refuses JSON that is not an object', async () => {
    for (const text of ['42', '"text"', 'null', 'true']) await refused(e, text, e.shapePath ?? '', 400);
    if (e.name !== 'POST /routes/bulk') await refused(e, '[{"name":"x"}]', '', 400);
  });

  it('refuses wrong types with 400 naming the field', async () => {
    for (const [bad, path] of e.wrongTypes) {
      const body = e.name === 'POST /routes/bulk' ? bad : { ...e.valid(), ...bad };
      const res = await refused(e, body, path, 400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('refuses unknown fields with 400 naming each of them', async () => {
    const valid = e.valid();
    const body =
      e.name === 'POST /routes/bulk' ? { rules: [{ ...(valid.rules as object[])[0], bogus: 1, colour: 'red' }] } : { ...valid, bogus: 1, colour: 'red' };
    const res = await refused(e, body, unknownPath(e, 'bogus'), 400);
    expect(errorPaths(res.body)).toContain(unknownPath(e, 'colour'));
    expect(res.body.error.message).toContain('bogus');
  });

  it('refuses a body over 1 MiB with 413, path ""', async () => {
    const huge = JSON.stringify({ ...e.valid(), pad: 'x'.repeat(1024 * 1024 + 16) });
    await refused(e, huge, '', 413);
  });

  it('reads a body just under 1 MiB (and refuses its unknown field, not its size)', async () => {
    const body = { ...e.valid(), pad: 'x'.repeat(1024 * 1024 - 4096) };
    const res = await refused(e, body, 'pad', 400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('still accepts the valid body (the table above tests real endpoints)', async () => {
    const res = await t.api(e.method, e.path(), e.valid());
    expect(res.status).toBe(e.method === 'POST' ? 201 : 200);
  });
});

describe('the words of a validation error', () => {
  it('says a missing field is required, and what it expects; a wrong type keeps what it got', async () => {
    const missingName = await t.api('POST', '/downstreams', { namespace: 'nm', command: 'node' });
    expect(missingName.status).toBe(400);
    expect(missingName.body.error.details).toContainEqual({ path: 'name', message: 'required (expected string)' });
    expect(missingName.body.error.message).toContain('name: required (expected string)');
    const missingRoot = await t.api('POST', '/workspaces', { name: 'w' });
    expect(missingRoot.status).toBe(400);
    expect(missingRoot.body.error.message).toMatch(/root_path: required \(expected string\)/);
    const wrongType = await t.api('POST', '/downstreams', { name: 5, namespace: 'nm', command: 'node' });
    expect(wrongType.body.error.details).toContainEqual({ path: 'name', message: 'expected string, received number' });
  });
});

describe('values of the right type that cannot be meant (a new user’s trial)', () => {
  const cases: Array<[string, 'POST' | 'PUT', () => string, () => Record<string, unknown>, string, RegExp]> = [
    ['a workspace name holding a NUL', 'POST', () => '/workspaces', () => ({ name: 'a\u0000b', root_path: '/srv/nul' }), 'name', /control characters/],
    [
      'a workspace name with a right-to-left override',
      'POST',
      () => '/workspaces',
      () => ({ name: 'ws1\u202e', root_path: '/srv/rlo' }),
      'name',
      /invisible characters/,
    ],
    [
      'a server name with a zero-width space',
      'POST',
      () => '/downstreams',
      () => ({ name: 'git\u200bhub', namespace: 'zw', transport: 'stdio', command: 'x' }),
      'name',
      /zero-width/,
    ],
    [
      'a server name holding a line break',
      'POST',
      () => '/downstreams',
      () => ({ name: 'two\nlines', command: 'node', namespace: 'twolines' }),
      'name',
      /control characters/,
    ],
    [
      'a workspace name holding half of an emoji (a lone surrogate)',
      'POST',
      () => '/workspaces',
      () => ({ name: 'ws \ud83d', root_path: '/srv/half' }),
      'name',
      /well-formed Unicode/,
    ],
    [
      'a rule name holding a lone low surrogate',
      'POST',
      () => '/routes',
      () => ({ workspace_id: ids.workspace, tool_pattern: 'x__y', name: '\ude00 rule' }),
      'name',
      /well-formed Unicode/,
    ],
    [
      'a path_glob leaving the workspace',
      'POST',
      () => '/routes',
      () => ({ workspace_id: ids.workspace, tool_pattern: 'x__y', path_glob: '../**' }),
      'path_glob',
      /cannot leave it/,
    ],
    ['a path_glob leaving it further in', 'PUT', () => `/routes/${ids.route}`, () => ({ path_glob: 'src/../../x' }), 'path_glob', /cannot leave it/],
    [
      'a tool_pattern that is a number',
      'POST',
      () => '/routes',
      () => ({ workspace_id: ids.workspace, tool_pattern: 5 }),
      'tool_pattern',
      /must be a tool pattern/,
    ],
    [
      'a dry-run subpath leaving the workspace',
      'POST',
      () => '/dry-run',
      () => ({ workspace_id: ids.workspace, tool_name: 'x__y', subpath: '../../etc' }),
      'subpath',
      /cannot leave it/,
    ],
    [
      'an absolute dry-run subpath',
      'POST',
      () => '/dry-run',
      () => ({ workspace_id: ids.workspace, tool_name: 'x__y', subpath: '/etc' }),
      'subpath',
      /relative/,
    ],
    [
      'a stdio server with a url too',
      'POST',
      () => '/downstreams',
      () => ({ name: 'Both', command: 'node', url: 'http://127.0.0.1:1/mcp', transport: 'stdio', namespace: 'both' }),
      'url',
      /belongs to an http server/,
    ],
    [
      'an http server with a command too',
      'POST',
      () => '/downstreams',
      () => ({ name: 'Both', command: 'node', url: 'http://127.0.0.1:1/mcp', namespace: 'both' }),
      'command',
      /belongs to a stdio server/,
    ],
  ];
  it.each(cases)('refuses %s with 400 naming the field and what to do, and changes nothing', async (_label, method, path, body, field, words) => {
    const before = t.configText();
    const res = await t.api(method, path(), body());
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual([field]);
    expect(res.body.error.details[0].message).toMatch(words);
    expect(t.configText()).toBe(before);
  });
});
