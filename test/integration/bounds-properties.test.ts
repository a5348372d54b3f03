import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORED_VALUE_LIMITS } from '../../src/gateway/config/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 14, properties over a real gateway on HTTP (faults 1 and 9): any value of any depth and
 * size in any stored body field is either stored or refused with a clear 4xx naming the field;
 * any discovered item is either stored or dropped and named in health, exactly as the bounds
 * say; any byte sequence in any path parameter is never a 500; and after each, an ordinary
 * write still succeeds (also after a restart). Runs are few: each one is real HTTP and I/O.
 */
const OVERSIZED = fileURLToPath(new URL('../fixtures/oversized-lists-server.mjs', import.meta.url));

let t: TestGateway;
let counter = 0;
beforeAll(async () => {
  t = await startTestGateway();
  await t.api('POST', '/auth-scopes', { id: 'scope', name: 'scope' });
});
afterAll(() => t?.close());

const errorLines = () => t.logs.filter((line) => line.level === 'error');

async function ordinaryWriteSucceeds(): Promise<void> {
  const n = ++counter;
  const created = await t.api('POST', '/workspaces', { name: `ordinary-${n}`, root_path: `/srv/ordinary-${n}`, tags: { n } });
  expect(created.status).toBe(201);
  expect((await t.api('DELETE', `/workspaces/${created.body.id}`)).status).toBe(204);
}

/** One level of nesting: an array, or an object under a key (including keys Object.prototype has). */
const level = fc.oneof(
  fc.constant<{ key?: string }>({}),
  fc.constantFrom('a', 'constructor', 'prototype', 'toString', '__proto__', '').map((key) => ({ key })),
  fc.string({ maxLength: 4 }).map((key) => ({ key })),
);

/** JSON text nested `depth` levels (cycling through `pattern`) around a leaf, built as text so any depth is possible. */
const nestedValue = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 20_000 })),
    pattern: fc.array(level, { minLength: 1, maxLength: 4 }),
    leaf: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc.integer({ min: 0, max: 1_200_000 }).map((n) => JSON.stringify('x'.repeat(n))),
    ),
  })
  .map(({ depth, pattern, leaf }) => {
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i++) {
      const { key } = pattern[i % pattern.length]!;
      open += key === undefined ? '[' : `{${JSON.stringify(key)}:`;
      close = (key === undefined ? ']' : '}') + close;
    }
    return open + leaf + close;
  });

/** Where a value goes: the request, and the top-level field an error must name. */
const targets: Array<{ method: string; path: string; body: (value: string, n: number) => string; field: string }> = [
  { method: 'POST', path: '/workspaces', body: (v, n) => `{"name":"p-${n}","root_path":"/srv/p-${n}","tags":${v}}`, field: 'tags' },
  { method: 'PUT', path: '/workspaces/global', body: (v) => `{"tags":${v}}`, field: 'tags' },
  { method: 'POST', path: '/downstreams', body: (v, n) => `{"name":"d-${n}","namespace":"d-${n}","command":"node","env":${v}}`, field: 'env' },
  { method: 'POST', path: '/downstreams', body: (v, n) => `{"name":"d-${n}","namespace":"d-${n}","command":"node","args":${v}}`, field: 'args' },
  { method: 'POST', path: '/routes', body: (v) => `{"workspace_id":"global","tool_pattern":${v}}`, field: 'tool_pattern' },
  { method: 'POST', path: '/routes/bulk', body: (v) => `{"rules":[{"workspace_id":"global","description":${v}}]}`, field: 'rules' },
  { method: 'POST', path: '/auth-scopes', body: (v, n) => `{"name":"a-${n}","env_vars":${v}}`, field: 'env_vars' },
  { method: 'PUT', path: '/auth-scopes/scope/secrets', body: (v) => `{"key":"K","value":${v}}`, field: 'value' },
  { method: 'PUT', path: '/settings', body: (v) => `{"tool_description_overrides":${v}}`, field: 'tool_description_overrides' },
  { method: 'PUT', path: '/settings', body: (v) => `{"tool_description_overrides":{"t":${v}}}`, field: 'tool_description_overrides' },
];

describe('stored bodies of any depth and size', () => {
  it('are stored or refused with a 4xx naming the field; an ordinary write succeeds after each, and after a restart', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), nestedValue, async (target, value) => {
        const n = ++counter;
        const res = await t.api(target.method, target.path, target.body(value, n));
        expect([200, 201, 400, 409, 413], `${target.method} ${target.path} → ${res.status}: ${res.text.slice(0, 300)}`).toContain(res.status);
        if (res.status >= 400) {
          expect(typeof res.body.error.message).toBe('string');
          if (res.status === 400) expect(res.body.error.details.some((d: { path: string }) => d.path.startsWith(target.field))).toBe(true);
        }
        await ordinaryWriteSucceeds();
      }),
      { numRuns: 30 },
    );
    expect(errorLines()).toEqual([]);
    const home = t.home;
    await t.stop();
    t = await startTestGateway({ home });
    expect((await t.api('GET', '/health')).body.status).toBe('ok');
    await ordinaryWriteSucceeds();
  });
});

describe('discovered lists of any depth and size', () => {
  /** Depth of the fixture's deep tool: tool → inputSchema → 2 levels per nesting → the leaf schema. */
  const deepToolDepth = (n: number) => 2 * n + 2;
  const bigToolBytes = (bytes: number) => JSON.stringify({ name: 'big', description: 'x'.repeat(bytes), inputSchema: { type: 'object' } }).length;

  it('keep exactly the items within the bounds, name the others in health, and leave writes working', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5_000 })),
        fc.oneof(
          fc.integer({ min: 0, max: 300_000 }),
          fc.constantFrom(0, 1).map((over) => STORED_VALUE_LIMITS.maxItemBytes - bigToolBytes(0) + over),
        ),
        fc.integer({ min: 0, max: 3_000 }),
        async (deep, big, deepPrompt) => {
          const id = `disc-${++counter}`;
          const created = await t.api('POST', '/downstreams', {
            id,
            name: id,
            namespace: id,
            command: process.execPath,
            args: [OVERSIZED, `--deep-tool=${deep}`, `--big-tool=${big}`, `--deep-prompt=${deepPrompt}`],
          });
          expect(created.status).toBe(201);
          const discovered = await t.api('POST', `/downstreams/${id}/discover`);
          expect(discovered.status).toBe(200);
          const expectedTools = ['echo'];
          if (deepToolDepth(deep) <= STORED_VALUE_LIMITS.maxDepth) expectedTools.push('deep');
          if (bigToolBytes(big) <= STORED_VALUE_LIMITS.maxItemBytes) expectedTools.push('big');
          expect(discovered.body.tools.map((tool: { name: string }) => tool.name)).toEqual(expectedTools);
          // prompt → arguments → the nested schema (2 levels per nesting, then the leaf schema)
          const promptKept = 2 * deepPrompt + 3 <= STORED_VALUE_LIMITS.maxDepth;
          expect(discovered.body.prompts.map((prompt: { name: string }) => prompt.name)).toEqual(promptKept ? ['hello', 'deep_prompt'] : ['hello']);
          const health = (await t.api('GET', `/downstreams/${id}/health`)).body;
          const droppedNames = (health.discovery_dropped ?? []).map((d: { name: string }) => d.name).sort();
          const expectedDropped = [...['deep', 'big'].filter((name) => !expectedTools.includes(name)), ...(promptKept ? [] : ['deep_prompt'])].sort();
          expect(droppedNames).toEqual(expectedDropped);
          expect((await t.api('DELETE', `/downstreams/${id}`)).status).toBe(204);
          await ordinaryWriteSucceeds();
        },
      ),
      { numRuns: 6 },
    );
    expect(errorLines()).toEqual([]);
  });
});

describe('path parameters of any bytes', () => {
  const routes: Array<[method: string, path: (id: string) => string]> = [
    ['GET', (id) => `/workspaces/${id}`],
    ['PUT', (id) => `/workspaces/${id}`],
    ['DELETE', (id) => `/workspaces/${id}`],
    ['GET', (id) => `/downstreams/${id}`],
    ['PUT', (id) => `/downstreams/${id}`],
    ['DELETE', (id) => `/downstreams/${id}`],
    ['POST', (id) => `/downstreams/${id}/discover`],
    ['GET', (id) => `/downstreams/${id}/health`],
    ['GET', (id) => `/routes/${id}`],
    ['PUT', (id) => `/routes/${id}`],
    ['DELETE', (id) => `/routes/${id}`],
    ['GET', (id) => `/auth-scopes/${id}`],
    ['PUT', (id) => `/auth-scopes/${id}`],
    ['DELETE', (id) => `/auth-scopes/${id}`],
    ['GET', (id) => `/auth-scopes/${id}/secrets`],
    ['PUT', (id) => `/auth-scopes/${id}/secrets`],
    ['DELETE', (id) => `/auth-scopes/scope/secrets/${id}`],
    ['DELETE', (id) => `/auth-scopes/${id}/secrets/K`],
    ['GET', (id) => `/approvals/${id}`],
    ['POST', (id) => `/downstreams/${id}/connect`],
  ];
  /** Bytes, each percent-encoded, mixed with raw unreserved characters and stray "%". */
  const idText = fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`),
        fc.constantFrom('a', 'Z', '9', '-', '.', '_', '~', '%', '%%', '%G1'),
      ),
      { minLength: 1, maxLength: 24 },
    )
    .map((parts) => parts.join(''));

  it('never answer 500 on any id route, and a write succeeds after', async () => {
    await fc.assert(
      fc.asyncProperty(idText, async (id) => {
        for (const [method, path] of routes) {
          const res = await t.api(method, path(id), method === 'PUT' ? {} : undefined);
          expect(res.status, `${method} ${path(id)}: ${res.text.slice(0, 200)}`).not.toBe(500);
          expect(res.status).toBeLessThan(res.status === 501 ? 502 : 500);
        }
      }),
      { numRuns: 15 },
    );
    expect(errorLines()).toEqual([]);
    await ordinaryWriteSucceeds();
  });
});
