import { describe, expect, it } from 'vitest';
import { checkAnswers, createBody, splitCommandLine, suggestNamespace, validateStep } from '../../../src/extension/views/add-server-input.js';
import { fieldErrorsFromWire, fieldErrorsFromZod } from '../../../src/shared/webviews/field-errors.js';
import { downstreamCreateSchema } from '../../../src/shared/schemas/index.js';
import { emptyRouteForm, routeFormToBody } from '../../../src/webview/routes/form-model.js';
import { emptyServerForm, SERVER_FORM_FIELDS, serverFormToBody, serverToForm } from '../../../src/webview/servers/form-model.js';

/**
 * Form validation mapping: the shared schema's issues and the gateway's 400/409 details land on the
 * same form fields; what belongs to no field becomes the form's own error.
 */
describe('fieldErrorsFromZod / fieldErrorsFromWire', () => {
  it('maps each zod issue to its field (first message wins; nested paths to their first segment)', () => {
    const result = downstreamCreateSchema.safeParse({ name: '', namespace: 'Bad NS', env: { A: 1 }, colour: 'red' });
    expect(result.success).toBe(false);
    const errors = fieldErrorsFromZod(result.error!, SERVER_FORM_FIELDS);
    expect(Object.keys(errors.fields).sort()).toEqual(['env', 'name', 'namespace']);
    expect(errors.fields.namespace).toContain('must match');
    expect(errors.other).toEqual(['Unrecognized key: "colour"']);
  });

  it.each([
    [
      'a 400 with details on form fields',
      {
        code: 'validation_failed',
        message: 'invalid request body',
        status: 400,
        details: [
          { path: 'command', message: 'must not be empty' },
          { path: 'namespace', message: 'must match …' },
        ],
      },
      { fields: { command: 'must not be empty', namespace: 'must match …' }, other: [] },
    ],
    [
      'a nested detail path',
      { code: 'validation_failed', message: 'bad', status: 400, details: [{ path: 'env.HOME', message: 'must be a string' }] },
      { fields: { env: 'must be a string' }, other: [] },
    ],
    [
      'a 409 on the namespace',
      { code: 'conflict', message: 'namespace "everything" is already taken', status: 409, details: [{ path: 'namespace', message: 'already taken' }] },
      { fields: { namespace: 'already taken' }, other: [] },
    ],
    [
      'a detail for no field of the form, with the message kept',
      { code: 'conflict', message: 'still used by route r1', status: 409, details: [{ path: 'id', message: 'used by route r1' }] },
      { fields: {}, other: ['still used by route r1', 'id: used by route r1'] },
    ],
    ['no details at all', { code: 'bad_gateway', message: 'discovery failed', status: 502, details: [] }, { fields: {}, other: ['discovery failed'] }],
  ])('maps %s', (_, wire, expected) => {
    expect(fieldErrorsFromWire(wire, SERVER_FORM_FIELDS)).toEqual(expected);
  });
});

describe('serverFormToBody', () => {
  const valid = {
    ...emptyServerForm(),
    name: 'Memory',
    namespace: 'memory',
    command: 'npx',
    args: '-y\n @modelcontextprotocol/server-memory \n',
    env: 'A=1\nB = two=2',
  };

  it('builds a stdio create body the gateway schema accepts', () => {
    const result = serverFormToBody(valid, 'create');
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'Memory',
        namespace: 'memory',
        transport: 'stdio',
        discovery: 'static',
        enabled: true,
        max_instances: 1,
        idle_timeout_sec: 300,
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { A: '1', B: 'two=2' },
      },
    });
  });

  it.each([
    ['a bad namespace', { namespace: 'Bad NS' }, 'namespace', 'must match'],
    ['an empty name', { name: '  ' }, 'name', 'must not be empty'],
    ['an env line without "="', { env: 'A=1\nOOPS' }, 'env', 'line 2: expected KEY=VALUE'],
    [
      'a header line without ":"',
      { transport: 'http' as const, url: 'https://x.example/mcp', headers: 'Authorization Bearer x' },
      'headers',
      'line 1: expected Name: value',
    ],
    ['a non-http URL', { transport: 'http' as const, url: 'ftp://x' }, 'url', 'must be an http:// or https:// URL'],
    ['too many instances', { max_instances: '99' }, 'max_instances', '16'],
    ['a fractional timeout', { idle_timeout_sec: '1.5' }, 'idle_timeout_sec', 'whole number'],
  ])('puts %s on its field', (_, patch, field, message) => {
    const result = serverFormToBody({ ...valid, ...patch }, 'create');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.fields[field]).toContain(message);
  });

  it('an update sends an emptied working directory as null, and round-trips a stored server', () => {
    const stored = {
      id: 's',
      source: 'api' as const,
      created_at: 't',
      updated_at: 't',
      ...(downstreamCreateSchema.parse({ name: 'M', namespace: 'm', command: 'node', cwd: '/srv', env: { K: 'v' } }) as object),
    };
    const form = serverToForm({ ...stored, tools: [], resources: [], resource_templates: [], prompts: [], discovered_at: null } as never);
    expect(form).toMatchObject({ name: 'M', cwd: '/srv', env: 'K=v' });
    const result = serverFormToBody({ ...form, cwd: '' }, 'update');
    expect(result).toMatchObject({ ok: true, body: { cwd: null, env: { K: 'v' } } });
  });
});

describe('routeFormToBody', () => {
  it('one pattern is a string, several an array; empty server means any', () => {
    const single = routeFormToBody({ ...emptyRouteForm('proj'), tool_pattern: 'memory__*' }, 'create');
    expect(single).toEqual({ ok: true, body: { workspace_id: 'proj', tool_pattern: 'memory__*', path_glob: '**', policy: 'allow', priority: 100 } });
    const several = routeFormToBody(
      { ...emptyRouteForm('proj'), tool_pattern: 'a__*, b__x\nc__y', policy: 'approve', approval_mode: 'write', server_id: 'srv' },
      'update',
    );
    expect(several).toMatchObject({ ok: true, body: { tool_pattern: ['a__*', 'b__x', 'c__y'], policy: 'approve', approval_mode: 'write', server_id: 'srv' } });
    expect(routeFormToBody({ ...emptyRouteForm('proj'), tool_pattern: 'a' }, 'update')).toMatchObject({ ok: true, body: { server_id: null } });
  });

  it.each([
    ['no pattern', { tool_pattern: ' , ' }, 'tool_pattern', 'at least one pattern'],
    ['an absolute path glob', { tool_pattern: 'a', path_glob: '/src/**' }, 'path_glob', 'drop the leading "/"'],
    ['an unbalanced bracket', { tool_pattern: 'a', path_glob: 'src/[ab' }, 'path_glob', 'unbalanced'],
    ['a non-numeric priority', { tool_pattern: 'a', priority: 'high' }, 'priority', 'whole number'],
    ['an out-of-range priority', { tool_pattern: 'a', priority: '2000000' }, 'priority', '1000000'],
  ])('puts %s on its field', (_, patch, field, message) => {
    const result = routeFormToBody({ ...emptyRouteForm('proj'), ...patch }, 'create');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.fields[field]).toContain(message);
  });
});

describe('Add Server… input boxes', () => {
  it.each([
    ['npx -y @modelcontextprotocol/server-memory', ['npx', '-y', '@modelcontextprotocol/server-memory']],
    [`node "/path with space/server.js" --name 'a b' x\\ y`, ['node', '/path with space/server.js', '--name', 'a b', 'x y']],
    [`cmd "" "say \\"hi\\""`, ['cmd', '', 'say "hi"']],
    ['  spaced   out  ', ['spaced', 'out']],
  ])('splits %s', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });

  it('refuses an unclosed quote, naming it', () => {
    expect(() => splitCommandLine('node "oops')).toThrow('the double quote is not closed');
    expect(validateStep('target', "node 'oops")).toBe('Command line: the single quote is not closed');
  });

  it('a URL makes an http server, anything else a stdio one', () => {
    expect(createBody({ name: 'R', namespace: 'r', target: 'https://mcp.example.com/mcp' })).toEqual({
      name: 'R',
      namespace: 'r',
      transport: 'http',
      url: 'https://mcp.example.com/mcp',
    });
    expect(createBody({ name: 'L', namespace: 'l', target: 'uvx mcp-server-git' })).toEqual({
      name: 'L',
      namespace: 'l',
      transport: 'stdio',
      command: 'uvx',
      args: ['mcp-server-git'],
    });
  });

  it('says at its own step that a name or namespace is taken, naming the server that has it', () => {
    const taken = { names: new Set(['Memory']), namespaces: new Map([['memory', 'Memory']]) };
    expect(validateStep('namespace', 'memory', taken)).toBe('the namespace "memory" is taken by the server "Memory": choose another');
    expect(validateStep('name', ' Memory ', taken)).toBe('a server is already called "Memory"');
    expect(validateStep('namespace', 'memory2', taken)).toBeUndefined();
    expect(validateStep('name', 'Memory 2', taken)).toBeUndefined();
  });

  it('checks each step with the field’s schema and the whole with the create schema', () => {
    expect(validateStep('name', ' ')).toBe('must not be empty');
    expect(validateStep('namespace', 'a__b')).toContain('must not contain "__"');
    expect(validateStep('namespace', 'memory')).toBeUndefined();
    expect(validateStep('target', 'ftp://x')).toBe('url must be an http:// or https:// URL');
    expect(validateStep('target', '')).toContain('Enter a command line');
    expect(checkAnswers({ name: 'Memory', namespace: 'memory', target: 'npx -y m' })).toMatchObject({
      ok: true,
      body: { command: 'npx', args: ['-y', 'm'], transport: 'stdio' },
    });
    const bad = checkAnswers({ name: 'Memory', namespace: 'Memory', target: 'ftp://x' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors.fields).sort()).toEqual(['namespace', 'url']);
  });

  it.each([
    ['GitHub Server', 'github-server'],
    ['My__Tools!', 'my_tools'],
    ['--x--', 'x'],
  ])('suggests a valid namespace from %s', (name, namespace) => {
    expect(suggestNamespace(name)).toBe(namespace);
    expect(validateStep('namespace', suggestNamespace(name))).toBeUndefined();
  });
});
