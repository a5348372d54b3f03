// Secrets in the short texts a call record keeps besides its arguments, on a real gateway
// (server-everything over stdio, a real SDK client over HTTP): a resource URI's password or
// `?access_token=`, a tool name holding the gateway's own API token, the client's declared name
// and model holding a token of a known shape, and the downstream's error message repeating the
// name, and a value of the server's own secret-named env sent back as an argument. None may be kept in clear: not in GET /audit, not in audit.db's file, not in the dashboard
// snapshot (recent calls, recent errors, the leaderboard, the error breakdown), not in metrics.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody } from '../helpers/mcp.js';

const GHP = `ghp_${'a1B2c3D4e5'.repeat(3)}`;
const PASSWORD = 'hunter2hunter2';
const QUERY_TOKEN = 'q7Zx9Wv3Ty5Ur1';
const SK = `sk-${'Zz9Yy8Xx7Ww6'.repeat(2)}`;
const SERVER_KEY = 'srv-secret-0042abc';

let t: TestGateway;
let client: Client;
let secrets: string[];

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev', { env: { SERVICE_API_KEY: SERVER_KEY, NODE_ENV: 'production' } }));
  client = await connectHttp(t, { name: `agent ${GHP}`, headers: { 'X-MCPlexer-Model': `model ${SK}` } });
  secrets = [t.token, GHP, PASSWORD, QUERY_TOKEN, SK, SERVER_KEY];
  // A name holding the API token: well-formed, unlisted, so passed on; the server's error repeats it.
  const unknown = await client.callTool({ name: `ev__${t.token}`, arguments: {} }).catch((error: Error) => ({ isError: true, error: error.message }));
  expect(JSON.stringify(unknown)).toContain('isError');
  for (const uri of [`test://static/resource/1?access_token=${QUERY_TOKEN}`, `postgres://admin:${PASSWORD}@db.example/x`])
    await client.readResource({ uri }).catch(() => undefined);
  // An ordinary call, so the trail also holds what must stay readable.
  await client.callTool({ name: 'ev__echo', arguments: { message: 'plain words' } });
  await client.callTool({ name: 'ev__echo', arguments: { message: SERVER_KEY, mode: 'production' } });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await t?.close();
});

const leaked = (text: string) => secrets.filter((secret) => text.includes(secret));

it('GET /audit keeps no secret in a tool name, a resource URI, the client name, the model or an error message', async () => {
  const res = await t.api('GET', '/audit?limit=50');
  expect(res.status, res.text).toBe(200);
  const rows = res.body.data as Array<Record<string, unknown>>;
  expect(rows.length).toBeGreaterThanOrEqual(4);
  expect(leaked(res.text)).toEqual([]);
  // What is not secret stays readable.
  const echoes = rows.filter((row) => row.tool_name === 'ev__echo');
  // The server's secret-named env value is hidden; its other env values are ordinary words.
  expect(echoes.map((row) => row.params_redacted)).toEqual([{ message: '[REDACTED]', mode: 'production' }, { message: 'plain words' }]);
  const echo = echoes[0]!;
  expect(echo.client_type).toBe('agent [REDACTED]');
  expect(echo.model).toBe('model [REDACTED]');
  expect(rows.map((row) => row.tool_name)).toEqual(
    expect.arrayContaining(['ev__[REDACTED]', 'test://static/resource/1?access_token=[REDACTED]', 'postgres://admin:[REDACTED]@db.example/x']),
  );
});

it('the dashboard snapshot shows no secret in its recent calls, recent errors, leaderboard or error breakdown', async () => {
  const res = await t.api('GET', '/dashboard?range=1h');
  expect(res.status, res.text).toBe(200);
  expect(res.body.recent_calls.length).toBeGreaterThanOrEqual(4);
  expect(res.body.recent_errors.length).toBeGreaterThanOrEqual(1);
  expect(leaked(res.text)).toEqual([]);
  expect(res.body.tool_leaderboard.map((entry: { tool_name: string }) => entry.tool_name)).toContain('ev__[REDACTED]');
});

it('audit.db and metrics.json hold no secret on disk once the gateway has stopped', async () => {
  await t.stop();
  for (const file of ['audit.db', 'metrics.json']) {
    const bytes = readFileSync(path.join(t.home, file), 'latin1');
    expect(bytes.length, file).toBeGreaterThan(0);
    expect(leaked(bytes), file).toEqual([]);
  }
});
