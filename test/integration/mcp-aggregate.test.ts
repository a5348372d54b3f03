// The MCP front over Streamable HTTP with several real downstreams at once: server-everything over
// stdio and over Streamable HTTP (two namespaces), server-memory, and the raw fixture (to see what
// reaches a downstream). Aggregation, round trips, resources, prompts, completion, progress,
// cancellation and sampling, each through the real gateway.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, answerSampling, connectHttp, everythingStdioBody, memoryBody, rawBody, rejection, startEverythingHttp, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
let httpEverything: Awaited<ReturnType<typeof startEverythingHttp>>;
let memory: ReturnType<typeof memoryBody>;
let rawId: string;
let sampled: Array<Record<string, unknown>>;

beforeAll(async () => {
  httpEverything = await startEverythingHttp();
  memory = memoryBody('mem');
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  await addServer(t, { name: 'Everything over HTTP', url: httpEverything.url, namespace: 'evh' });
  await addServer(t, memory.body);
  rawId = (await addServer(t, rawBody('raw'))).id;
  client = await connectHttp(t, { sampling: 'unused' });
  sampled = answerSampling(client, 'the client sampled this');
}, 60_000);

afterAll(async () => {
  await client?.close();
  await t?.close();
  await httpEverything?.stop();
  memory?.cleanup();
});

describe('aggregation across servers', () => {
  it('lists every server’s tools under its namespace, with schemas and annotations', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of [
      'ev__echo',
      'ev__get-sum',
      'ev__trigger-long-running-operation',
      'evh__echo',
      'evh__get-sum',
      'mem__create_entities',
      'mem__read_graph',
      'raw__hang',
    ]) {
      expect(names).toContain(name);
    }
    for (const name of names) expect(name).toMatch(/^(ev|evh|mem|raw|mcpx)__/);
    expect(new Set(names).size).toBe(names.length);
    const echo = tools.find((tool) => tool.name === 'evh__echo')!;
    expect(echo.inputSchema).toMatchObject({ type: 'object', properties: { message: { type: 'string' } }, required: ['message'] });
    expect(echo.annotations).toMatchObject({ readOnlyHint: true });
    expect(echo.description).toBe('Echoes back the input string');
  });

  it('round-trips a tools/call to each server', async () => {
    expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'over stdio' } }))).toBe('Echo: over stdio');
    expect(text(await client.callTool({ name: 'evh__echo', arguments: { message: 'over http' } }))).toBe('Echo: over http');
    expect(text(await client.callTool({ name: 'evh__get-sum', arguments: { a: 2, b: 40 } }))).toContain('42');
    await client.callTool({
      name: 'mem__create_entities',
      arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] },
    });
    const graph = JSON.parse(text(await client.callTool({ name: 'mem__read_graph', arguments: {} })));
    expect(graph.entities).toEqual([expect.objectContaining({ name: 'Ada', observations: ['wrote the first program'] })]);
  });

  it('lists resources under mcplexer://<namespace>/ and reads one through its server', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    const stdioDoc = uris.find((uri) => uri.startsWith('mcplexer://ev/demo://resource/static/document/'));
    expect(stdioDoc).toBeDefined();
    expect(uris.some((uri) => uri.startsWith('mcplexer://evh/demo://'))).toBe(true);
    expect(uris.every((uri) => uri.startsWith('mcplexer://'))).toBe(true);
    const read = await client.readResource({ uri: stdioDoc! });
    expect(read.contents[0]!.uri).toBe(stdioDoc);
    expect((read.contents[0] as { text?: string }).text?.length).toBeGreaterThan(0);
    const { resourceTemplates } = await client.listResourceTemplates();
    const template = resourceTemplates.find((r) => r.uriTemplate === 'mcplexer://evh/demo://resource/dynamic/text/{resourceId}');
    expect(template).toBeDefined();
    const dynamic = await client.readResource({ uri: 'mcplexer://evh/demo://resource/dynamic/text/7' });
    expect(dynamic.contents[0]).toMatchObject({ uri: 'mcplexer://evh/demo://resource/dynamic/text/7' });
  });

  it('gets a prompt with arguments, and completes a prompt argument', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(['ev__args-prompt', 'evh__args-prompt', 'ev__completable-prompt']));
    const prompt = await client.getPrompt({ name: 'ev__args-prompt', arguments: { city: 'Lisbon', state: 'PT' } });
    expect(prompt.messages[0]!.content).toMatchObject({ type: 'text', text: "What's weather in Lisbon, PT?" });
    const departments = await client.complete({ ref: { type: 'ref/prompt', name: 'evh__completable-prompt' }, argument: { name: 'department', value: 'Sa' } });
    expect(departments.completion.values).toEqual(['Sales']);
    const names = await client.complete({
      ref: { type: 'ref/prompt', name: 'ev__completable-prompt' },
      argument: { name: 'name', value: '' },
      context: { arguments: { department: 'Support' } },
    });
    expect(names.completion.values).toEqual(['John', 'Kim', 'Lee']);
  });
});

describe('progress, cancellation and sampling', () => {
  it.each(['ev', 'evh'])('relays every progress notification of %s’s long-running tool before the result', async (namespace) => {
    const events: Array<string> = [];
    const result = await client.callTool(
      { name: `${namespace}__trigger-long-running-operation`, arguments: { duration: 0.5, steps: 5 } },
      { onprogress: (p) => void events.push(`${p.progress}/${p.total}`) },
    );
    events.push('result');
    expect(text(result)).toContain('Steps: 5');
    expect(events).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5', 'result']);
  });

  it('forwards a client’s cancellation to the downstream, and the server keeps serving', async () => {
    const abort = new AbortController();
    const call = client.callTool({ name: 'raw__hang', arguments: {} }, { signal: abort.signal });
    await waitFor(async () => (await health(rawId))?.state === 'busy', 10_000);
    abort.abort('the user gave up');
    await rejection(call);
    const tail = await waitFor(async () => ((await health(rawId))?.stderr_tail ?? []).find((line: string) => /^cancelled /.test(line)), 10_000);
    expect(tail).toBeDefined();
    const idle = (h: any) => h?.instances.every((i: { in_flight: number }) => i.in_flight === 0);
    await waitFor(async () => idle(await health(rawId)), 10_000);
    expect(idle(await health(rawId))).toBe(true);
    expect(text(await client.callTool({ name: 'raw__echo', arguments: { message: 'still here' } }))).toBe('Echo: still here');
  });

  it('cancels a long-running server-everything call without harming the session', async () => {
    const abort = new AbortController();
    let progressed = 0;
    const call = client.callTool(
      { name: 'ev__trigger-long-running-operation', arguments: { duration: 30, steps: 60 } },
      { signal: abort.signal, onprogress: () => void (progressed += 1) },
    );
    await waitFor(() => progressed > 0, 10_000);
    abort.abort();
    await rejection(call);
    expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'after cancel' } }))).toBe('Echo: after cancel');
  });

  it.each(['ev', 'evh'])('has the client answer %s’s sampling request', async (namespace) => {
    const before = sampled.length;
    const result = await client.callTool({ name: `${namespace}__trigger-sampling-request`, arguments: { prompt: 'say hi' } });
    expect(text(result)).toContain('the client sampled this');
    expect(sampled.length).toBe(before + 1);
    expect(JSON.stringify(sampled.at(-1))).toContain('say hi');
  });
});

async function health(serverId: string): Promise<any> {
  const res = await t.api('GET', '/health');
  return res.body.downstreams.find((d: { server_id: string }) => d.server_id === serverId);
}
