// A tools/call result without MCP's shape (content not an array, isError not a boolean,
// structuredContent not an object) fails its call naming the server and what is wrong, and is
// audited as an error, through the lean path and through the SDK path (a call with progress); a
// well-formed result still passes as sent. A chaos trial: such results were relayed, the client's
// own validation failed with raw zod issues naming no server, and the audit said success.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rawBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, rawBody('bad', ['--bad-results']));
  client = await connectHttp(t);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('a malformed tools/call result', () => {
  it.each([
    ['content', 'its content is not an array'],
    ['iserror', 'its isError is not a boolean'],
    ['structured', 'its structuredContent is not an object'],
  ])('%s: the call fails naming the server and the problem, audited as an error', async (kind, problem) => {
    const error = await rejection(client.callTool({ name: 'bad__echo', arguments: { kind } }));
    expect(error.message).toContain('downstream server "Raw bad"');
    expect(error.message).toContain(`answered with a malformed MCP result (${problem})`);
    expect(error.data).toEqual({ code: 'downstream_error' });
    const record = await waitFor(async () => {
      const page = await t.api('GET', '/audit?tool_name=bad__echo&limit=50');
      return (page.body.data as Array<{ params_redacted: { kind?: string }; status: string; error_code: string }>).find((r) => r.params_redacted.kind === kind);
    });
    expect(record).toMatchObject({ status: 'error', error_code: 'downstream_error' });
  });

  it('with progress (the SDK path) too; a well-formed result passes as sent', async () => {
    const progress: unknown[] = [];
    const error = await rejection(client.callTool({ name: 'bad__echo', arguments: { kind: 'content' } }, { onprogress: (p) => void progress.push(p) }));
    expect(error.message).toContain('answered with a malformed MCP result (its content is not an array)');
    expect(text(await client.callTool({ name: 'bad__echo', arguments: { message: 'fine' } }))).toBe('Echo: fine');
  });
});
