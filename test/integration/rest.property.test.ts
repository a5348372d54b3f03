/**
 * Issue 21, bad input on the REST API: for EVERY operation of `GET /api/v1/openapi.json` (so a new
 * endpoint is covered as soon as it is described), arbitrary bodies (the operation's schema with one
 * field of the wrong type, a field missing, an unknown field, a huge or deep value; any JSON; text
 * that is not JSON; bytes that are not UTF-8; other content types) and arbitrary query strings
 * answer a status below 500 — a refusal is a 4xx whose JSON error body gives a reason — the
 * gateway stays healthy and logs no error, and `config.json` is byte-identical after every refused
 * request. Accepted input is allowed (it is valid); what it created is deleted again.
 *
 * Nothing harmful runs: the only downstream is the counting echo fixture, the gateway's HOME is a
 * temp dir (mcp-install writes there), and the two operations that stop the gateway are left out
 * (named below, so the list cannot grow silently). fast-check prints the seed and path of a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { contentType, deepJsonText, hugeJsonString, invalidJsonText, invalidUtf8Json, oddString, send, type RawAnswer } from '../helpers/property.js';

const ECHO = fileURLToPath(new URL('../fixtures/counting-echo-server.mjs', import.meta.url));
/** Runs per operation: 66 operations × 40 ≈ 2,600 requests, ~3 s (FUZZ_RUNS=300 for a longer hunt). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** Operations that stop the gateway whatever the input (they take no body): covered by api-shutdown and daemon-drain tests. */
const LEFT_OUT = ['POST /shutdown', 'POST /drain'];

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  items?: Schema;
  minimum?: number;
  default?: unknown;
};
interface Operation {
  method: string;
  route: string;
  query: string[];
  body?: Schema;
}

let t: TestGateway;
let userHome: string;
let operations: Operation[] = [];
/** Ids of the fixtures, offered to every path parameter next to random bytes. */
const FIXTURE_IDS = ['fx-ws', 'fx-ds', 'fx-route', 'fx-scope', 'fx-win', 'global', 'claude_code', 'K'];

beforeAll(async () => {
  userHome = mkdtempSync(path.join(tmpdir(), 'mcplexer-fuzz-home-'));
  t = await startTestGateway({ env: { HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, '.config'), APPDATA: userHome } });
  const setup: Array<[string, string, unknown]> = [
    ['POST', '/workspaces', { id: 'fx-ws', name: 'fx-ws', root_path: path.join(userHome, 'ws') }],
    ['POST', '/downstreams', { id: 'fx-ds', name: 'fx-ds', namespace: 'fx', command: process.execPath, args: [ECHO] }],
    ['POST', '/routes', { id: 'fx-route', workspace_id: 'fx-ws', server_id: 'fx-ds' }],
    ['POST', '/auth-scopes', { id: 'fx-scope', name: 'fx-scope' }],
    ['PUT', '/auth-scopes/fx-scope/secrets', { key: 'K', value: 'v' }],
    ['POST', '/windows', { window_id: 'fx-win', folders: [path.join(userHome, 'ws')], client: 'fuzz', version: '1' }],
  ];
  for (const [method, p, body] of setup) expect((await t.api(method, p, body)).status, `${method} ${p}`).toBeLessThan(300);
  const doc = (await t.api('GET', '/openapi.json')).body as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema?.oneOf ? resolve(schema.oneOf[0]) : schema;
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])] as Array<{ name: string; in: string }>;
      operations.push({
        method: method.toUpperCase(),
        route,
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
      });
    }
  }
  operations = operations.filter((op) => !LEFT_OUT.includes(`${op.method} ${op.route}`));
}, 30_000);
afterAll(async () => {
  await t?.close();
  rmSync(userHome, { recursive: true, force: true });
});

/** A value of the schema's type that passes it when the schema is simple (enums, minimums); the base the mutations start from. */
function sample(schema: Schema | undefined): unknown {
  if (!schema) return {};
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, sample(schema.properties?.[key])]));
    case 'array':
      return [];
    case 'string':
      return 'fuzz';
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return 'fuzz';
  }
}

/** A value that is not of the JSON type(s) the schema allows. */
function wrongType(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const allowed = new Set<string>();
  const collect = (s: Schema | undefined) => {
    if (!s) return;
    for (const type of [s.type ?? []].flat()) allowed.add(type === 'integer' ? 'number' : type);
    s.anyOf?.forEach(collect);
    s.oneOf?.forEach(collect);
    if (s.enum) allowed.add('enum');
  };
  collect(schema);
  const candidates: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.string()],
    ['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })],
    ['object', fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })],
  ];
  // An enum's own type stays allowed (a string outside the enum is wrong too, but may be an alias).
  const wrong = candidates.filter(([type]) => !allowed.has(type) && !(allowed.has('enum') && type === 'string'));
  return wrong.length ? fc.oneof(...wrong.map(([, arb]) => arb)) : fc.constant(Symbol.for('skip'));
}

interface Body {
  contentType: string | undefined;
  bytes: string | Buffer | undefined;
  /** What made it: printed with a counterexample. */
  kind: string;
}

/** Bodies for one operation: JSON from its schema with one fault, any JSON, and text/bytes that are not JSON. */
function bodies(op: Operation): fc.Arbitrary<Body> {
  const base = sample(op.body) as Record<string, unknown>;
  const props = Object.keys(op.body?.properties ?? {});
  const json = (value: unknown, kind: string) => contentType.map((ct) => ({ contentType: ct, bytes: JSON.stringify(value), kind }));
  const text = (arb: fc.Arbitrary<string | Buffer>, kind: string) => arb.map((bytes) => ({ contentType: 'application/json', bytes, kind }));
  const mutations: Array<fc.Arbitrary<Body>> = [
    fc.jsonValue({ maxDepth: 3 }).chain((value) => json(value, 'any JSON')),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
      .chain(([key, value]) => json({ ...base, [`x-${key}`]: value }, 'unknown field')),
    text(invalidJsonText, 'not JSON'),
    text(invalidUtf8Json('{"name":"', '"}'), 'invalid UTF-8'),
    text(deepJsonText, 'deep nesting'),
    fc.constant({ contentType: 'application/json', bytes: undefined, kind: 'no body' }),
  ];
  if (props.length) {
    const prop = fc.constantFrom(...props);
    mutations.push(
      prop.chain((key) =>
        wrongType(op.body!.properties![key]).chain((value) =>
          json(typeof value === 'symbol' ? { ...base, [key]: [] } : { ...base, [key]: value }, `wrong type in ${key}`),
        ),
      ),
      prop.chain((key) => oddString.chain((value) => json({ ...base, [key]: value }, `odd string in ${key}`))),
      prop.chain((key) => deepJsonText.map((value) => ({ contentType: 'application/json', bytes: `{"${key}":${value}}`, kind: `deep value in ${key}` }))),
      prop.chain((key) => hugeJsonString.map((value) => ({ contentType: 'application/json', bytes: `{"${key}":${value}}`, kind: `huge value in ${key}` }))),
    );
    if (op.body?.required?.length) {
      mutations.push(
        fc.constantFrom(...op.body.required).chain((key) => json(Object.fromEntries(Object.entries(base).filter(([k]) => k !== key)), `missing ${key}`)),
      );
    }
  }
  return fc.oneof(...mutations);
}

/** Bytes of any kind, percent-encoded, or a fixture's id (DELETE never gets a fixture: it would go). */
const idText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`),
      fc.constantFrom('a', 'Z', '9', '-', '.', '_', '~', '%', '%G1', '..'),
    ),
    { minLength: 1, maxLength: 16 },
  )
  .map((parts) => parts.join(''));
const pathParam = (method: string) => (method === 'DELETE' ? idText : fc.oneof(fc.constantFrom(...FIXTURE_IDS), idText));

/** A query string: the operation's own names and others, each with odd values, repeated, or in bracket syntax. */
function queries(op: Operation): fc.Arbitrary<string> {
  const name = fc.oneof(
    op.query.length ? fc.constantFrom(...op.query) : fc.constant('q'),
    fc.constantFrom('x', 'a[b]', '__proto__', 'constructor', '', 'limit[]'),
  );
  const value = fc.oneof(
    fc.constantFrom('', '-1', '0', '1e999', 'NaN', 'true', 'not-a-date', '2026-13-45T99:99:99Z', '%', '%ZZ', '%C0%AF', '%FF', '[]', '{}'),
    fc.string({ maxLength: 10 }).map(encodeURIComponent),
    // Long, but within Node's 16 KiB for the request line and headers (past it Node itself answers 431 and closes).
    fc.integer({ min: 1_000, max: 3_000 }).map((n) => 'a'.repeat(n)),
  );
  return fc
    .array(fc.tuple(name, value), { maxLength: 4 })
    .map((pairs) => (pairs.length ? '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&') : ''));
}

const errorLines = () => t.logs.filter((line) => line.level === 'error');

/** Deletes what an accepted POST created (the collection is the route itself). */
async function undo(op: Operation, answer: RawAnswer): Promise<void> {
  const id = answer.json?.id;
  if (op.method !== 'POST' || answer.status !== 201 || typeof id !== 'string') return;
  if (['/workspaces', '/downstreams', '/routes', '/auth-scopes', '/oauth-providers'].includes(op.route)) {
    await t.api('DELETE', `${op.route}/${encodeURIComponent(id)}?cascade=true`);
  }
}

describe('every REST operation, with bad bodies and queries', () => {
  it('the enumeration is the whole OpenAPI document, minus the two operations that stop the gateway', () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
    expect(operations.some((op) => op.route === '/workspaces/{id}' && op.method === 'PUT')).toBe(true);
  });

  it('answers every operation below 500 with a reason; refused input leaves config.json byte-identical', async () => {
    for (const op of operations) {
      const params = [...op.route.matchAll(/\{([^}]+)\}/g)].length;
      await fc.assert(
        fc.asyncProperty(fc.array(pathParam(op.method), { minLength: params, maxLength: params }), queries(op), bodies(op), async (ids, query, body) => {
          let i = 0;
          const concrete = op.route.replace(/\{[^}]+\}/g, () => ids[i++]!);
          const before = t.configText();
          const headers: Record<string, string> = { authorization: `Bearer ${t.token}` };
          if (body.contentType !== undefined) headers['content-type'] = body.contentType;
          const answer = await send(t.url, { method: op.method, path: `/api/v1${concrete}${query}`, headers, body: body.bytes }).catch((error: Error) => {
            throw new Error(`${op.method} ${concrete}${query.slice(0, 80)} [${body.kind}]: ${error.message}`);
          });
          const what = `${op.method} ${concrete}${query.slice(0, 80)} [${body.kind}] → ${answer.status} ${answer.text.slice(0, 300)}`;
          expect(answer.status, what).toBeGreaterThanOrEqual(200);
          expect(answer.status, what).toBeLessThan(500);
          if (answer.status >= 400) {
            if (op.route === '/oauth/callback') expect(answer.text, what).toMatch(/\S/);
            else expect(answer.json?.error?.message, what).toMatch(/\S/);
            // A body with one named fault, sent where nothing else is wrong, is refused naming that field.
            const field = /^(?:wrong type in|missing) (.+)$/.exec(body.kind)?.[1] ?? (body.kind === 'unknown field' ? 'x-' : undefined);
            const clean = op.body !== undefined && query === '' && ids.every((id) => FIXTURE_IDS.includes(id)) && body.contentType === 'application/json';
            if (field && clean && answer.status === 400)
              expect(JSON.stringify(answer.json.error), `the refusal does not name ${field}: ${what}`).toContain(field);
            expect(t.configText(), `config.json changed by a refused request: ${what}`).toBe(before);
          } else await undo(op, answer);
        }),
        { numRuns: RUNS },
      );
    }
    expect((await t.api('GET', '/health')).body.status).toBe('ok');
    expect(errorLines()).toEqual([]);
  }, 120_000);
});
