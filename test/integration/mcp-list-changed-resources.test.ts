// A server disabled, enabled, added or removed changes what resources/list and prompts/list show,
// and every session is told so with notifications/resources/list_changed and
// notifications/prompts/list_changed (a protocol trial: only tools/list_changed was sent, while
// the server's resources and prompts silently left both lists). A config write that changes
// neither list sends neither.
import { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
const seen = { resources: 0, prompts: 0 };

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  expect((await t.api('POST', '/downstreams/ev/discover')).status).toBe(200);
  client = await connectHttp(t, { name: 'list-changed-resources' });
  client.setNotificationHandler('notifications/resources/list_changed', () => void (seen.resources += 1));
  client.setNotificationHandler('notifications/prompts/list_changed', () => void (seen.prompts += 1));
  // The GET stream, which carries notifications related to no request, opens after initialize.
  await client.listTools();
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

const listed = async () => ({
  resources: (await client.listResources()).resources.filter((r) => r.uri.startsWith('mcplexer://ev/')).length,
  prompts: (await client.listPrompts()).prompts.filter((p) => p.name.startsWith('ev__')).length,
});

describe('resources and prompts list_changed on server changes', () => {
  it('disabling the server tells the session both lists changed, and enabling it again too', async () => {
    const before = await listed();
    expect(before.resources).toBeGreaterThan(0);
    expect(before.prompts).toBeGreaterThan(0);

    const start = { ...seen };
    expect((await t.api('PUT', '/downstreams/ev', { enabled: false })).status).toBe(200);
    await waitFor(() => seen.resources > start.resources && seen.prompts > start.prompts);
    expect(await listed()).toEqual({ resources: 0, prompts: 0 });

    const off = { ...seen };
    expect((await t.api('PUT', '/downstreams/ev', { enabled: true })).status).toBe(200);
    await waitFor(() => seen.resources > off.resources && seen.prompts > off.prompts);
    expect(await listed()).toEqual(before);
  });

  it('a write that changes neither list (a rule) sends neither', async () => {
    const start = { ...seen };
    expect((await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'nothing__here', policy: 'deny' })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).toEqual(start);
  });
});
