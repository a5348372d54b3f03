// A fresh gateway's first tools/list does not wait for a slow server (issue 15, fault 3: it waited
// the whole start timeout, 15 s, while the others were ready in under half a second). The list
// answers after at most `tools_list_wait_ms` with the servers that are ready; a server still
// starting is listed when its discovery lands, and the sessions that listed without it get
// `tools/list_changed`. A later list does not wait again for the same server; a server that never
// answers fails after `start_timeout_sec` and, changing no list, sends nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, rawBody } from '../helpers/mcp.js';
import { connectClient, scratchDir, specServerBody, type McpClient } from '../helpers/original-harness.js';

const WAIT_MS = 3_000; // tools_list_wait_ms for this test (default 2000): server-everything starts well within it even on a busy machine
const SLOW_MS = 6_000; // the slow server answers initialize after this
const slack = 1_500;

let t: TestGateway;
const clients: McpClient[] = [];
const open = async () => {
  const client = await connectClient(t);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  t = await startTestGateway();
  expect((await t.api('GET', '/settings')).body.settings).toMatchObject({ tools_list_wait_ms: 2_000, start_timeout_sec: 15 });
  expect((await t.api('PUT', '/settings', { tools_list_wait_ms: WAIT_MS, start_timeout_sec: 8 })).status).toBe(200);
});
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await t?.close();
});

describe('the first tools/list of a fresh gateway', () => {
  it('answers within tools_list_wait_ms with the ready servers, then list_changed brings the slow one; a server that never answers sends nothing', async () => {
    const slow = specServerBody(scratchDir(), 'slow', ['late', 'later']);
    await addServer(t, { ...slow, args: [...slow.args, `--init-delay-ms=${SLOW_MS}`] });
    await addServer(t, everythingStdioBody('ev'));
    const mute = await addServer(t, rawBody('mute', ['--no-init']));
    const first = await open();

    const began = Date.now();
    const names = await first.toolNames();
    const waited = Date.now() - began;
    expect(waited).toBeLessThan(WAIT_MS + slack);
    expect(names).toContain('ev__echo');
    expect(names.some((name) => name.startsWith('slow__') || name.startsWith('mute__'))).toBe(false);

    // A second session listing while the slow server still starts is not held again.
    const second = await open();
    const again = Date.now();
    expect(await second.toolNames()).toContain('ev__echo');
    expect(Date.now() - again).toBeLessThan(slack);

    await Promise.all([first.nextToolsChange(0), second.nextToolsChange(0)]);
    for (const client of [first, second]) {
      const now = await client.toolNames();
      expect(now).toEqual(expect.arrayContaining(['ev__echo', 'slow__late', 'slow__later']));
      expect(now.some((name) => name.startsWith('mute__'))).toBe(false);
    }

    // The server that never answers fails after start_timeout_sec: no session's list changed, so no one is told.
    const failed = await waitFor(async () => (await t.api('GET', `/downstreams/${mute.id}/health`)).body.state === 'failed', 15_000, 200);
    expect(failed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([first.toolsChanged(), second.toolsChanged()]).toEqual([1, 1]);
  }, 40_000);
});
