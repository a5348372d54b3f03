// A tool that can only be called as a task (MCP 2025-11-25 "Tasks", execution.taskSupport
// "required") is not listed, since the gateway does not relay tasks: listed, it was a tool no
// client could call (a protocol trial: the SDK client refused it, and a raw call got the server's
// "requires task augmentation" error). The server's health says why it is left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  expect((await t.api('POST', '/downstreams/ev/discover')).status).toBe(200);
  client = await connectHttp(t, { name: 'task-tools' });
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('tools that need tasks', () => {
  it('are discovered, not listed, and the server’s health says why', async () => {
    const discovered = (await t.api('GET', '/downstreams/ev')).body.tools as Array<{ name: string; execution?: { taskSupport?: string } }>;
    const needsTask = discovered.filter((tool) => tool.execution?.taskSupport === 'required').map((tool) => tool.name);
    expect(needsTask).toContain('simulate-research-query');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('ev__echo');
    for (const name of needsTask) expect(names).not.toContain(`ev__${name}`);
    const health = JSON.stringify((await t.api('GET', '/downstreams/ev/health')).body);
    expect(health).toContain('can only be called as a task');
  });
});
