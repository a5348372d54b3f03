// A rule applies to a tool whichever spelling it was written for: `namespace__tool` or, for a
// server with `expose_unprefixed`, the tool's own name (a security trial: a deny rule written for
// `everything__get-env` stopped matching when the server was switched to unprefixed, and the call
// returned the server's whole environment). The default policy decides only when no rule matched
// either spelling, so an allow written for one spelling still works in a default-deny workspace.
// Real gateway, server-everything over stdio, real SDK client over Streamable HTTP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rejection } from '../helpers/mcp.js';

let t: TestGateway;
let open: Client;
let strict: Client;
const openDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-unprefixed-open-'));
const strictDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-unprefixed-strict-'));

const route = async (body: Record<string, unknown>) => expect((await t.api('POST', '/routes', body)).status).toBe(201);
const text = (result: unknown) => JSON.stringify((result as { content?: unknown }).content ?? result);

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('everything', { id: 'everything' }));
  expect((await t.api('POST', '/workspaces', { id: 'open', name: 'open', root_path: openDir, default_policy: 'allow' })).status).toBe(201);
  expect((await t.api('POST', '/workspaces', { id: 'strict', name: 'strict', root_path: strictDir, default_policy: 'deny' })).status).toBe(201);
  // Written for the namespaced name, before the switch:
  await route({ id: 'deny-env', workspace_id: 'open', tool_pattern: 'everything__get-env', policy: 'deny' });
  // Written for the unprefixed name:
  await route({ id: 'deny-sum', workspace_id: 'open', tool_pattern: 'get-sum', policy: 'deny' });
  // In a default-deny workspace: an allow for each spelling.
  await route({ id: 'allow-echo', workspace_id: 'strict', tool_pattern: 'everything__echo', policy: 'allow' });
  await route({ id: 'allow-sum', workspace_id: 'strict', tool_pattern: 'get-sum', policy: 'allow' });
  expect((await t.api('POST', '/downstreams/everything/discover')).status).toBe(200);
  expect((await t.api('PUT', '/downstreams/everything', { expose_unprefixed: true })).status).toBe(200);
  expect((await t.api('POST', '/downstreams/everything/discover')).status).toBe(200);
  open = await connectHttp(t, { headers: { 'x-mcplexer-workspace': openDir } });
  strict = await connectHttp(t, { headers: { 'x-mcplexer-workspace': strictDir } });
}, 60_000);
afterAll(async () => {
  await open?.close();
  await strict?.close();
  await t?.close();
});

describe('rules over both spellings of an unprefixed server’s tool', () => {
  it('a deny written for namespace__tool still denies the unprefixed call, and hides it from the list', async () => {
    const error = await rejection(open.callTool({ name: 'get-env', arguments: {} }));
    expect(error.code).toBe(-32003);
    expect(error.message).toContain('denied by rule deny-env');
    const names = (await open.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('get-env');
    expect(names).not.toContain('get-sum');
  });

  it('dry-run says the same, naming the rule', async () => {
    const answer = (await t.api('POST', '/dry-run', { workspace_id: 'open', tool_name: 'get-env' })).body;
    expect(answer).toMatchObject({ policy: 'deny', matched_rule: { id: 'deny-env' } });
  });

  it('a deny written for the unprefixed name denies it too; other tools pass', async () => {
    expect((await rejection(open.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } }))).message).toContain('denied by rule deny-sum');
    expect(text(await open.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toContain('hi');
  });

  it('in a default-deny workspace, an allow written for either spelling lets the call through; others stay denied', async () => {
    expect(text(await strict.callTool({ name: 'echo', arguments: { message: 'strict' } }))).toContain('strict');
    expect(text(await strict.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } }))).toContain('5');
    expect((await rejection(strict.callTool({ name: 'get-env', arguments: {} }))).message).toContain('no route for');
    // Beside the built-in mcpx__ tools (allowed by the global built-in rule):
    const names = (await strict.listTools()).tools.map((tool) => tool.name).filter((name) => !name.startsWith('mcpx__'));
    expect(names.sort()).toEqual(['echo', 'get-sum']);
  });
});
