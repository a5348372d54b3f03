// A tool's resource links are readable through the gateway as the server wrote them (MCP
// 2025-11-25 "Tools › Resource Links": a client may read a linked resource with resources/read,
// listed or not). A protocol trial found server-everything's get-resource-links answer
// `demo://resource/dynamic/...` links that the gateway then refused to read, knowing only their
// mcplexer://<namespace>/ form. The link is the session's: another session reading the same URI
// still gets the not-found that names the gateway's form.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rejection } from '../helpers/mcp.js';

let t: TestGateway;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await t?.close();
});

const open = async (name: string) => {
  const client = await connectHttp(t, { name });
  clients.push(client);
  return client;
};

describe('resource links in tool results', () => {
  it('a link a tool returned is read by its own URI, from the server that returned it; another session’s read is refused', async () => {
    const a = await open('links-a');
    const result = (await a.callTool({ name: 'ev__get-resource-links', arguments: { count: 2 } })) as { content: Array<{ type: string; uri?: string }> };
    const links = result.content.filter((item) => item.type === 'resource_link').map((item) => item.uri!);
    expect(links.length).toBe(2);
    // Relayed as the server wrote them.
    expect(links.every((uri) => uri.startsWith('demo://'))).toBe(true);
    for (const uri of links) {
      const read = await a.readResource({ uri });
      expect(read.contents.length).toBeGreaterThan(0);
      expect(read.contents[0]!.uri).toBe(`mcplexer://ev/${uri}`);
    }
    const b = await open('links-b');
    const refused = await rejection(b.readResource({ uri: links[0]! }));
    expect(refused.message).toContain('mcplexer://<namespace>/<uri>');
  });
});
