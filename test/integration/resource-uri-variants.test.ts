// A deny of a resource covers every spelling of its URI (a security trial: `%73ecret`, `X://` and
// `a/../secret` passed an exact deny, and the server read them). The gateway takes a resource URI
// in its RFC 3986 normal form for routing and sends the server that same form; a URI that keeps
// percent-encoded reserved characters (`%2F`) is decided by its decoded spelling too, strictest
// wins. Real gateway, server-everything over stdio (its `demo://resource/dynamic/text/{id}` template
// answers with the URI it was sent).
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rejection } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
const TEXT = 'demo://resource/dynamic/text';

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  for (const pattern of [`ev__${TEXT}/1`, `ev__${TEXT}/9/*`]) {
    expect((await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: pattern, policy: 'deny' })).status).toBe(201);
  }
  client = await connectHttp(t);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('resource URI spellings', () => {
  it.each([
    `mcplexer://ev/${TEXT}/1`,
    `mcplexer://ev/${TEXT}/%31`,
    `mcplexer://ev/DEMO://resource/dynamic/text/1`,
    `mcplexer://ev/demo://RESOURCE/dynamic/text/1`,
    `mcplexer://ev/${TEXT}/5/../1`,
    `mcplexer://ev/${TEXT}/./1`,
    `MCPLEXER://ev/${TEXT}/1`,
    `mcplexer://ev/${TEXT}/9%2Fx`,
    `mcplexer://ev/${TEXT}/9%2fx`,
  ])('%s is denied by the rule for its normal form', async (uri) => {
    const error = await rejection(client.readResource({ uri }));
    expect(error.code).toBe(-32003);
    expect(error.message).toContain('route denied by policy');
  });

  it('an allowed variant reaches the server in its normal form, and comes back in the client’s form', async () => {
    const read = await client.readResource({ uri: `mcplexer://ev/DEMO://Resource/dynamic/text/5/../%38` });
    expect(read.contents[0]).toMatchObject({ uri: `mcplexer://ev/demo://resource/dynamic/text/8` });
    expect(JSON.stringify(read.contents[0])).toContain('8');
  });

  it('the audit records the denied variant under the name the rule saw', async () => {
    await rejection(client.readResource({ uri: `mcplexer://ev/${TEXT}/%31` }));
    const page = (await t.api('GET', '/audit?status=blocked&limit=1')).body;
    expect(page.data[0]).toMatchObject({ error_code: 'denied', status: 'blocked' });
    expect(page.data[0].tool_name).toBe(`ev__${TEXT}/1`);
  });
});
