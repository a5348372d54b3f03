// A downstream server's own env and header values are where a README tells a user to put an API
// key (`"env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "…"}`). They were stored in clear in config.json
// and answered in clear by GET /downstreams (a security trial). Now config.json holds each value
// sealed (AES-256-GCM, secret.key), the API masks the secret-looking ones, a mask written back
// keeps the stored value, and the child and the HTTP server still get the real values, across a
// restart too. Real gateway, server-everything over stdio (its get-env tool prints the child's
// env), a real loopback HTTP server for the headers, real files.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, text } from '../helpers/mcp.js';
import { serverFormToBody, serverToForm } from '../../src/webview/servers/form-model.js';
import { openSecretBox } from '../../src/gateway/secrets/index.js';

const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const PASSWORD = 'correct-horse-battery-staple';
const BEARER = 'Bearer abcdefghijklmnop0123456789';
const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-sealed-'));
const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-sealed-ws-'));
let t: TestGateway;
let client: Client | undefined;
let headersServer: Server;
const seenHeaders: IncomingHttpHeaders[] = [];

const childEnv = async (): Promise<string> => {
  client ??= await connectHttp(t, { headers: { 'x-mcplexer-workspace': dir } });
  return text(await client.callTool({ name: 'ev__get-env', arguments: {} }));
};
const restart = async () => {
  await client?.close();
  client = undefined;
  await t.stop();
  t = await startTestGateway({ home });
};

beforeAll(async () => {
  headersServer = createServer((req, res) => {
    seenHeaders.push(req.headers);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => headersServer.listen(0, '127.0.0.1', resolve));
  t = await startTestGateway({ home });
  expect((await t.api('POST', '/workspaces', { id: 'ws', name: 'ws', root_path: dir, default_policy: 'allow' })).status).toBe(201);
  await addServer(t, everythingStdioBody('ev', { id: 'ev', env: { GITHUB_PERSONAL_ACCESS_TOKEN: TOKEN, PGPASSWORD: PASSWORD, LOG_MODE: 'verbose-mode' } }));
  const port = (headersServer.address() as { port: number }).port;
  await addServer(t, {
    id: 'remote',
    name: 'remote',
    namespace: 'remote',
    url: `http://127.0.0.1:${port}/mcp`,
    headers: { Authorization: BEARER, 'X-Trace': 'trace-on' },
  });
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
  headersServer?.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('a downstream server’s env and header values', () => {
  it('are sealed in config.json: no value appears in the file, each is an enc:v1: envelope', () => {
    const file = t.configText();
    for (const value of [TOKEN, PASSWORD, 'verbose-mode', BEARER, 'trace-on']) expect(file).not.toContain(value);
    const stored = t.readConfig().downstreams;
    const ev = stored.find((s) => s.id === 'ev')!;
    const remote = stored.find((s) => s.id === 'remote')!;
    for (const value of [...Object.values(ev.env), ...Object.values(remote.headers)]) expect(value).toMatch(/^enc:v1:/);
    expect(t.readConfig().schema_version).toBe(2);
  });

  it('are answered with the secret-looking ones masked, the others as given', async () => {
    const ev = (await t.api('GET', '/downstreams/ev')).body;
    expect(ev.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: '********', PGPASSWORD: '********', LOG_MODE: 'verbose-mode' });
    const list = (await t.api('GET', '/downstreams')).body as Array<{ id: string; headers: Record<string, string> }>;
    expect(list.find((s) => s.id === 'remote')!.headers).toEqual({ Authorization: '********', 'X-Trace': 'trace-on' });
    expect(JSON.stringify(list)).not.toContain(TOKEN);
  });

  it('reach the child and the HTTP server as they were given', async () => {
    const env = await childEnv();
    expect(env).toContain(TOKEN);
    expect(env).toContain(PASSWORD);
    await t.api('POST', '/downstreams/remote/discover');
    await waitFor(() => seenHeaders.length > 0);
    expect(seenHeaders.at(-1)).toMatchObject({ authorization: BEARER, 'x-trace': 'trace-on' });
  });

  it('keep the stored value when an edit writes the mask back (a form saving what it showed)', async () => {
    const shown = (await t.api('GET', '/downstreams/ev')).body;
    const res = await t.api('PUT', '/downstreams/ev', { env: { ...shown.env, LOG_MODE: 'quiet-mode' } });
    expect(res.status).toBe(200);
    expect(res.body.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: '********', PGPASSWORD: '********', LOG_MODE: 'quiet-mode' });
    const env = await childEnv();
    expect(env).toContain(TOKEN);
    expect(env).toContain('quiet-mode');
  });

  it('keep the stored value through the Servers view’s form: one line edited, the masked line sent back as shown', async () => {
    const initial = serverToForm((await t.api('GET', '/downstreams/ev')).body);
    expect(initial.env).toContain('GITHUB_PERSONAL_ACCESS_TOKEN=********');
    const edited = { ...initial, env: initial.env.replace('LOG_MODE=quiet-mode', 'LOG_MODE=form-mode') };
    const body = serverFormToBody(edited, 'update', initial);
    expect(body.ok).toBe(true);
    expect((await t.api('PUT', '/downstreams/ev', body.ok ? body.body : undefined)).status).toBe(200);
    const env = await childEnv();
    expect(env).toContain(TOKEN);
    expect(env).toContain('form-mode');
  });

  it('refuse a mask where no value is stored under that name (renamed or new), naming the field', async () => {
    const renamed = await t.api('PUT', '/downstreams/ev', { env: { GH_TOKEN: '********' } });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.details).toEqual([expect.objectContaining({ path: 'env.GH_TOKEN', message: expect.stringContaining('mask') })]);
    const created = await t.api('POST', '/downstreams', { name: 'x', namespace: 'x', url: 'http://127.0.0.1:1/mcp', headers: { 'X-Api-Key': '********' } });
    expect(created.status).toBe(400);
    expect(created.body.error.details[0].path).toBe('headers.X-Api-Key');
    expect((await t.api('GET', '/downstreams/ev')).body.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe('********');
  });

  it('survive a restart: the child still gets the real values', async () => {
    await restart();
    const env = await childEnv();
    expect(env).toContain(TOKEN);
    expect(env).toContain('form-mode');
  });

  it('typed into config.json in clear by hand are taken, and sealed at once (a trial found one in clear until a later write)', async () => {
    const file = JSON.parse(t.configText());
    file.downstreams.find((s: { id: string }) => s.id === 'ev').env.EXTRA_SECRET = 'hand-typed-secret-value';
    writeFileSync(t.configPath, JSON.stringify(file, null, 2));
    await waitFor(async () => (await t.api('GET', '/downstreams/ev')).body.env.EXTRA_SECRET === '********');
    await waitFor(() => !t.configText().includes('hand-typed-secret-value'));
    expect(t.readConfig().downstreams.find((s) => s.id === 'ev')!.env.EXTRA_SECRET).toMatch(/^enc:v1:/);
    expect(await childEnv()).toContain('hand-typed-secret-value');
  });

  it('a connection string in args, and a password in the URL, are sealed too and shown with only the password masked; the child gets the real one', async () => {
    const dsn = 'postgresql://admin:pg-secret-pw@db.internal/prod';
    const echo = "process.stderr.write('got ' + [...process.argv[1]].reverse().join('') + '\\n'); setTimeout(() => process.exit(3), 100)";
    const created = await addServer(t, { id: 'pg', name: 'pg', namespace: 'pg', command: process.execPath, args: ['-e', echo, dsn] });
    expect((created as unknown as { args: string[] }).args).toEqual(['-e', echo, 'postgresql://admin:********@db.internal/prod']);
    expect(t.configText()).not.toContain('pg-secret-pw');
    expect(t.configText()).toContain(echo.slice(0, 20)); // the plain arguments stay readable in the file
    const discover = await t.api('POST', '/downstreams/pg/discover');
    expect(discover.text).toContain(`got ${[...dsn].reverse().join('')}`);
    // Sent back as shown (one other argument changed), the stored value stays; edited around the mask, refused.
    const shown = (await t.api('GET', '/downstreams/pg')).body.args as string[];
    expect((await t.api('PUT', '/downstreams/pg', { args: [shown[0], shown[1] + ' ', shown[2]] })).status).toBe(200);
    expect((await t.api('POST', '/downstreams/pg/discover')).text).toContain(`got ${[...dsn].reverse().join('')}`);
    const edited = await t.api('PUT', '/downstreams/pg', { args: [shown[0], shown[1], shown[2]!.replace('prod', 'test')] });
    expect(edited.status).toBe(400);
    expect(edited.body.error.details[0].path).toBe('args.2');
    const remote = await t.api('PUT', '/downstreams/remote', { url: `http://:url-pw-123@127.0.0.1:1/mcp` });
    expect(remote.body.url).toBe('http://:********@127.0.0.1:1/mcp');
    expect(t.configText()).not.toContain('url-pw-123');
    expect((await t.api('PUT', '/downstreams/remote', { url: remote.body.url, enabled: true })).status).toBe(200);
    expect((await t.api('GET', '/downstreams/remote')).body.url).toBe('http://:********@127.0.0.1:1/mcp');
    const box = openSecretBox(home);
    expect(box.decrypt(t.readConfig().downstreams.find((s) => s.id === 'remote')!.url!)).toBe('http://:url-pw-123@127.0.0.1:1/mcp');
  });

  it('of 33,000 characters that the server prints are hidden in its stderr, and the gateway stays up (a trial: V8 refused the redaction pattern inside the stderr handler and the daemon exited)', async () => {
    const big = 'QUJD'.repeat(8250);
    const script = "process.stderr.write('server running on stdio ' + process.env.KUBECONFIG_B64 + '\\n'); setTimeout(() => process.exit(3), 200)";
    await addServer(t, { id: 'big', name: 'big', namespace: 'big', command: process.execPath, args: ['-e', script], env: { KUBECONFIG_B64: big } });
    const discover = await t.api('POST', '/downstreams/big/discover');
    expect(discover.status).toBe(502);
    expect(discover.text).toContain('server running on stdio [REDACTED]');
    expect(discover.text).not.toContain(big.slice(0, 64));
    expect((await t.api('GET', '/health')).status).toBe(200);
  });

  it('that cannot be opened with secret.key stop the start with a message naming the server, the value and what to do', async () => {
    await client?.close();
    client = undefined;
    await t.stop();
    const key = path.join(home, 'secret.key');
    const original = readFileSync(key, 'utf8');
    writeFileSync(key, Buffer.alloc(32, 7).toString('base64') + '\n');
    try {
      await expect(startTestGateway({ home })).rejects.toThrow(
        /env value "GITHUB_PERSONAL_ACCESS_TOKEN" of downstream server "Everything ev" cannot be decrypted with secret.key/,
      );
    } finally {
      writeFileSync(key, original);
    }
    t = await startTestGateway({ home });
    expect(await childEnv()).toContain(TOKEN);
  });
});
