// A server's initialize `instructions` reach the client through the gateway: discovery keeps them
// with the server's lists, and each session's initialize answer carries those of the servers whose
// tools it can list, under the server's name and tool prefix (mcp/instructions.ts). Real
// server-everything (which has instructions) and server-memory (which has none), over /mcp and
// the stdio bridge.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectBridge, connectHttp, everythingStdioBody, memoryBody } from '../helpers/mcp.js';

const EVERYTHING_INSTRUCTIONS = readFileSync(
  fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-everything/dist/docs/instructions.md', import.meta.url)),
  'utf8',
).trim();

let t: TestGateway;
let everythingId: string;
const memory = memoryBody('mem');
const clients: Client[] = [];

async function client(headers: Record<string, string> = {}): Promise<Client> {
  const opened = await connectHttp(t, { headers });
  clients.push(opened);
  return opened;
}

beforeAll(async () => {
  t = await startTestGateway({ lock: true });
  everythingId = (await addServer(t, everythingStdioBody('every', { name: 'Everything' }))).id;
  const memoryId = (await addServer(t, memory.body)).id;
  // Discovered before any session opens: a session's instructions are those known at its initialize.
  for (const id of [everythingId, memoryId]) expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
  expect((await t.api('POST', '/workspaces', { id: 'quiet', name: 'quiet', root_path: '/ins/quiet' })).status).toBe(201);
  expect((await t.api('POST', '/routes', { workspace_id: 'quiet', tool_pattern: 'every__*', policy: 'deny' })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  for (const opened of clients) await opened.close();
  await t?.close();
  memory.cleanup();
});

describe('downstream instructions', () => {
  it('discovery keeps a server’s instructions, as the API shows', async () => {
    const server = (await t.api('GET', `/downstreams/${everythingId}`)).body;
    expect(server.instructions.trim()).toBe(EVERYTHING_INSTRUCTIONS);
    const memoryServer = (await t.api('GET', '/downstreams')).body.find((s: { namespace: string }) => s.namespace === 'mem');
    expect(memoryServer.instructions).toBeUndefined();
  });

  it('a PUT of what GET returned (instructions included) is taken, and keeps them', async () => {
    const server = (await t.api('GET', `/downstreams/${everythingId}`)).body;
    expect((await t.api('PUT', `/downstreams/${everythingId}`, server)).status).toBe(200);
    expect((await t.api('GET', `/downstreams/${everythingId}`)).body.instructions).toBe(server.instructions);
    const changed = await t.api('PUT', `/downstreams/${everythingId}`, { ...server, instructions: 'mine' });
    expect(changed.status).toBe(400);
    expect(JSON.stringify(changed.body)).toContain('instructions: read-only');
  });

  it('a session gets MCPlexer’s line and the instructions of the servers it sees, under their name and prefix', async () => {
    const instructions = (await client()).getInstructions() ?? '';
    expect(instructions.startsWith('MCPlexer gateway: tools of several MCP servers, named <namespace>__<tool>.')).toBe(true);
    expect(instructions).toContain('## Everything (tools named every__<tool>)');
    expect(instructions).toContain(EVERYTHING_INSTRUCTIONS);
    expect(instructions).not.toMatch(/## .*mem__/); // server-memory gives none: no empty section
  });

  it('a session whose workspace denies the server’s tools does not get its instructions', async () => {
    const instructions = (await client({ 'x-mcplexer-workspace': '/ins/quiet' })).getInstructions() ?? '';
    expect(instructions).toContain('MCPlexer gateway');
    expect(instructions).not.toContain('Everything');
    expect(instructions).not.toContain(EVERYTHING_INSTRUCTIONS.slice(0, 60));
  });

  it('a client on the stdio bridge gets them too', async () => {
    const bridge = await connectBridge(t.home);
    clients.push(bridge.client);
    expect(bridge.client.getInstructions()).toContain(EVERYTHING_INSTRUCTIONS);
  });

  it('a disabled server’s instructions are not given', async () => {
    expect((await t.api('PUT', `/downstreams/${everythingId}`, { enabled: false })).status).toBe(200);
    const instructions = (await client()).getInstructions() ?? '';
    expect(instructions).not.toContain(EVERYTHING_INSTRUCTIONS.slice(0, 60));
    expect((await t.api('PUT', `/downstreams/${everythingId}`, { enabled: true })).status).toBe(200);
  });
});
