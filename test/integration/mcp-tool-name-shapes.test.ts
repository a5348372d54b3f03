// A name its server did not list still goes to that server by its namespace (the original's
// behaviour: a server not discovered yet, or with new tools): but only a name a tool can have
// (MCP 2025-11-25, "Tool names"). A security trial sent `rec__danger `, `rec__danger\u0000` and
// `rec__../danger` past an exact deny of `rec__danger`, and the server received them: one that
// trims or resolves names would have run the denied tool. Real gateway, the spec fixture server
// (it answers with the name it received).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, connectClient, reached, rpcError, scratchDir, type McpClient } from '../helpers/original-harness.js';

let t: TestGateway;
let client: McpClient;
const dir = scratchDir();
const call = (name: string) => client.client.callTool({ name, arguments: {} });

beforeAll(async () => {
  t = await startTestGateway();
  await addSpecServer(t, dir, 'sp', { tools: ['danger', 'safe'], prompts: ['hello'] });
  expect((await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'sp__danger', policy: 'deny' })).status).toBe(201);
  client = await connectClient(t);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tool names a server did not list', () => {
  it.each([
    'sp__danger ',
    ' sp__danger',
    'sp__danger\u0000',
    'sp__danger\t',
    'sp__../danger',
    'sp__./danger',
    'sp__x/../danger',
    'sp__dånger',
    'sp__' + 'd'.repeat(129),
  ])('%j is refused as an unknown tool and never reaches the server', async (name) => {
    const error = await rpcError(call(name));
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('unknown tool');
    if (name.startsWith('sp__')) expect(error.message).toContain('server "sp" does not list it, and a tool name is 1 to 128 of A-Z, a-z, 0-9, _, - and .');
  });

  it('the denied name itself is denied, and a listed one and a well-formed unlisted one still reach the server', async () => {
    expect((await rpcError(call('sp__danger'))).code).toBe(-32003);
    expect(reached(await call('sp__safe'))).toMatchObject({ server: 'sp', tool: 'safe' });
    expect(reached(await call('sp__new_tool.v2'))).toMatchObject({ server: 'sp', tool: 'new_tool.v2' });
  });

  it('each refusal is audited with its error code', async () => {
    await rpcError(call('sp__danger '));
    const page = (await t.api('GET', `/audit?tool_name=${encodeURIComponent('sp__danger ')}&limit=1`)).body;
    expect(page.data[0]).toMatchObject({ tool_name: 'sp__danger ', error_code: 'unknown_tool' });
  });

  it.each(['sp__danger ', 'sp__danger\u0000', 'sp__danger\t', 'sp__../danger'])(
    'prompts/get and completion of the unlisted prompt %j are refused, never passed on (a second trial: forwarded)',
    async (name) => {
      const error = await rpcError(client.client.getPrompt({ name }));
      expect(error.code).toBe(-32602);
      expect(error.message).toContain('unknown prompt');
      const completion = await rpcError(client.client.complete({ ref: { type: 'ref/prompt', name }, argument: { name: 'a', value: '' } }));
      expect(completion.code).toBe(-32602);
    },
  );

  it('a listed prompt and a well-formed unlisted one still reach the server; a denied name is denied', async () => {
    const textOf = (result: { messages: Array<{ content: { text?: string } }> }) => result.messages[0]!.content.text;
    expect(textOf((await client.client.getPrompt({ name: 'sp__hello' })) as never)).toBe('sp:hello');
    expect(textOf((await client.client.getPrompt({ name: 'sp__other' })) as never)).toBe('sp:other');
    expect((await rpcError(client.client.getPrompt({ name: 'sp__danger' }))).code).toBe(-32003);
  });

  it.each(['mcplexer://sp/x://secret ', 'mcplexer://sp/x://sec\u0000ret', 'mcplexer://sp/x://se cret'])(
    'resources/read of %j (no URI holds whitespace or a control character) is refused as not found, never passed on',
    async (uri) => {
      const error = await rpcError(client.client.readResource({ uri }));
      expect(error.message).toContain('not found');
      const page = (await t.api('GET', `/audit?tool_name=${encodeURIComponent(uri)}&limit=1`)).body;
      expect(page.data[0]).toMatchObject({ downstream_server_id: null });
    },
  );
});
