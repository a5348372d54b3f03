// Fields that reach a process or a request line are checked when given, not when the server first
// starts (a trial: each of these answered 201, then discovery failed with Node's own words, and a
// header value with a line break was cut off in the error). A 400 names the field and says why;
// nothing is stored. Real gateway over HTTP.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => t?.close());

const stdio = { name: 'p', namespace: 'p', command: process.execPath };
const http = { name: 'h', namespace: 'h', transport: 'http', url: 'http://127.0.0.1:1/mcp' };

describe('a server’s process and request fields', () => {
  it.each([
    ['command', { ...stdio, command: 'node\u0000x' }, 'command', 'NUL'],
    ['an argument', { ...stdio, args: ['ok', 'a\u0000b'] }, 'args.1', 'NUL'],
    ['an env value', { ...stdio, env: { A: 'x\u0000y' } }, 'env.A', 'NUL'],
    ['an empty env name', { ...stdio, env: { '': '1' } }, 'env', 'environment variable name'],
    ['an env name with "="', { ...stdio, env: { 'A=B': '1' } }, 'env', 'environment variable name'],
    ['cwd', { ...stdio, cwd: '/tmp/\u0000' }, 'cwd', 'NUL'],
    ['a header name with a space', { ...http, headers: { 'Bad Header': 'y' } }, 'headers', 'HTTP token'],
    ['a header value with a line break', { ...http, headers: { X: 'y\r\nZ: 1' } }, 'headers.X', 'line break'],
    ['a header value with a character beyond Latin-1', { ...http, headers: { X: 'price 5 €' } }, 'headers.X', 'Latin-1'],
    [
      'a whole command line in command (the Servers form, a trial)',
      { ...stdio, command: 'node /srv/mcp/index.js --verbose' },
      'command',
      'put "node" in command and the rest in args (["/srv/mcp/index.js","--verbose"])',
    ],
  ])('%s is refused with a 400 naming it; nothing is stored', async (_, body, field, says) => {
    const before = t.readConfig().downstreams.length;
    const res = await t.api('POST', '/downstreams', body);
    expect(res.status).toBe(400);
    const detail = (res.body.error.details as Array<{ path: string; message: string }>).find((d) => d.path.startsWith(field));
    expect(detail?.message, JSON.stringify(res.body.error)).toContain(says);
    expect(t.readConfig().downstreams.length).toBe(before);
  });

  it('an edit is checked the same way; good values still pass', async () => {
    const created = await t.api('POST', '/downstreams', { ...http, headers: { Authorization: 'Bearer x', 'X-Api-Key': 'k' } });
    expect(created.status).toBe(201);
    const res = await t.api('PUT', `/downstreams/${created.body.id}`, { headers: { X: 'a\nb' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain('headers.X');
    const ok = await t.api('POST', '/downstreams', { ...stdio, args: ['--flag=1', ''], env: { PATH_EXTRA: 'a=b:c' } });
    expect(ok.status).toBe(201);
    // A program whose path holds a space is a program, not a command line.
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp tools '));
    writeFileSync(path.join(dir, 'server'), '');
    const spaced = await t.api('POST', '/downstreams', { name: 's', namespace: 's', command: path.join(dir, 'server') });
    expect(spaced.status).toBe(201);
  });
});
