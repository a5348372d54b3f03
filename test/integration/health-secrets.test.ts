// Fault 3 of issue 14: the token-less health endpoint handed out each downstream's stderr tail,
// where servers print credentials. Without a token, health is a liveness answer only; with it, the
// stderr tail, last_error and the gateway's logs hold no secret: not the auth scope's values, not
// the server's own env values, not known credential shapes.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rawBody, rejection, text } from '../helpers/mcp.js';

const SCOPE_SECRET = 'scope-secret-Zx81Qw';
const ENV_SECRET = 'own-env-secret-Kp42';
/** A secret holding a quote, a slash and a plus: its JSON and URL spellings differ from it. */
const QUOTED_SECRET = 'pa"ss/w\\rd+Q9zz';
const SPELLINGS = [QUOTED_SECRET, JSON.stringify(QUOTED_SECRET).slice(1, -1), encodeURIComponent(QUOTED_SECRET)];
const SHAPES = [
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'sk-proj-AbCdEf0123456789xyzXYZ',
  'hunter2pass',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl',
];
const ALL_SECRETS = [SCOPE_SECRET, ENV_SECRET, ...SHAPES, ...SPELLINGS];

let t: TestGateway;
let client: Client;
let serverId: string;
beforeAll(async () => {
  t = await startTestGateway();
  serverId = (await addServer(t, rawBody('leak', [], { name: 'Leaky', env: { SERVICE_KEY: ENV_SECRET, DB_PASSWORD: QUOTED_SECRET } }))).id;
  const scope = await t.api('POST', '/auth-scopes', { name: 'leak-scope', env_vars: { API_TOKEN: SCOPE_SECRET } });
  expect(scope.status).toBe(201);
  await t.api('POST', '/routes', { workspace_id: 'global', server_id: serverId, tool_pattern: 'leak__*', auth_scope_id: scope.body.id });
  client = await connectHttp(t);
});
afterAll(async () => {
  await client?.close();
  await t?.close();
});

const leak = (line: string) => client.callTool({ name: 'leak__stderr', arguments: { text: line } });

describe('health and a downstream that prints credentials', () => {
  it('without a token answers only status, version, uptime and mode', async () => {
    await leak(`starting with token ${SCOPE_SECRET}`);
    const res = await t.api('GET', '/health', undefined, { authorization: null });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['mode', 'status', 'uptime_seconds', 'version']);
    expect(res.text).not.toContain(SCOPE_SECRET);
    expect(res.text).not.toContain(t.home);
  });

  it.each([
    ['the auth scope value', `config: API_TOKEN is ${SCOPE_SECRET} (visible-context-1)`],
    ['its own env value', `config: SERVICE_KEY=${ENV_SECRET} (visible-context-2)`],
    ['a GitHub token and an OpenAI key', `calling with ${SHAPES[0]} and ${SHAPES[1]} (visible-context-3)`],
    ['a URL with a password and a JWT', `db postgres://app:${SHAPES[2]}@db:5432/x jwt ${SHAPES[3]} (visible-context-4)`],
    ['an env value in its JSON spelling', `dump ${JSON.stringify(['db', QUOTED_SECRET])} (visible-context-5)`],
    ['an env value percent-encoded in a URL', `GET https://db.example/login?u=app&p=${encodeURIComponent(QUOTED_SECRET)} (visible-context-6)`],
  ])('with the token, the stderr tail shows the line with %s redacted', async (_name, line) => {
    expect(text(await leak(line))).toBe('written');
    const res = await t.api('GET', '/health');
    const entry = res.body.downstreams.find((d: { server_id: string }) => d.server_id === serverId);
    const tail = (entry.stderr_tail as string[]).join('\n');
    const context = /\(visible-context-\d\)/.exec(line)![0];
    expect(tail).toContain(context);
    expect(tail).toContain('[REDACTED]');
    for (const secret of ALL_SECRETS) expect(tail).not.toContain(secret);
  });

  it('keeps secrets out of last_error and the logs when the server crashes after printing them', async () => {
    await leak(`fatal: Authorization: Bearer ${SCOPE_SECRET}`);
    const error = await rejection(client.callTool({ name: 'leak__crash', arguments: {} }));
    expect(error.message).toContain('Leaky');
    const entry = (await t.api('GET', '/health')).body.downstreams.find((d: { server_id: string }) => d.server_id === serverId);
    expect(entry.last_error).toContain('exited with code 3');
    for (const secret of ALL_SECRETS) {
      expect(error.message).not.toContain(secret);
      expect(entry.last_error).not.toContain(secret);
      expect(JSON.stringify(t.logs)).not.toContain(secret);
    }
  });
});
