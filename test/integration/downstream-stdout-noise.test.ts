// A stdio server that writes to stdout what is not JSON-RPC (MCP's classic mistake: logging to
// stdout) is told so (a new user's trial: the start timed out with no word of the line it
// printed). The lines are kept (count and newest 20, redacted) and shown in health as
// `stdout_not_jsonrpc`; every failure of that server (the start timeout, an exit, a call timeout)
// adds the sentence naming the count and an example. A server that prints a banner and then
// answers keeps working. Real gateway, real child processes.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rawBody, rejection, text } from '../helpers/mcp.js';

const RULE = 'an MCP stdio server must write only JSON-RPC messages to stdout (log to stderr)';

let t: TestGateway;
let client: Client;
beforeAll(async () => {
  t = await startTestGateway();
  expect((await t.api('PUT', '/settings', { start_timeout_sec: 2, tools_list_wait_ms: 200 })).status).toBe(200);
  client = await connectHttp(t);
}, 30_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

async function healthOf(id: string): Promise<Record<string, any>> {
  const full = (await t.api('GET', '/health')).body;
  const entry = full.downstreams.find((d: { server_id: string }) => d.server_id === id);
  expect(entry).toBeDefined();
  return entry;
}

describe('a stdio server that writes lines that are not JSON-RPC on stdout and never answers', () => {
  it.each([
    [
      'one line, then silence (the trial’s server): the start timeout names it',
      ['-e', 'console.log("hello not json"); setTimeout(()=>{},60000)'],
      /did not respond within the timeout period \(2 s, setting start_timeout_sec\) to initialize/,
      1,
      'hello not json',
      ['hello not json'],
    ],
    [
      'a banner, a log line and JSON that is not JSON-RPC, then an exit: the exit names them',
      [
        '-e',
        'console.log("Server v1.2 starting"); console.log("listening on stdio"); console.log(JSON.stringify({level:"info"})); setTimeout(()=>process.exit(3),300)',
      ],
      /started but did not respond \(exited with code 3\)/,
      3,
      'Server v1.2 starting',
      ['Server v1.2 starting', 'listening on stdio', '{"level":"info"}'],
    ],
  ])('%s', async (_name, args, cause, count, example, tail) => {
    const server = await addServer(t, { name: `Noisy ${count}`, namespace: `noisy${count}`, command: process.execPath, args });
    const discover = await t.api('POST', `/downstreams/${server.id}/discover`);
    expect(discover.status).toBe(502);
    const message = discover.body.error.message as string;
    expect(message).toMatch(cause);
    const lines = count === 1 ? '1 line to stdout that is' : `${count} lines to stdout that are`;
    expect(message).toContain(`the server wrote ${lines} not JSON-RPC, e.g. ${JSON.stringify(example)}: ${RULE}`);
    const health = await healthOf(server.id);
    expect(health.stdout_not_jsonrpc).toEqual({ count, tail });
    expect(health.last_error).toContain(RULE);
    expect((await t.api('GET', `/downstreams/${server.id}/health`)).body.stdout_not_jsonrpc).toEqual({ count, tail });
    await t.api('DELETE', `/downstreams/${server.id}`);
  });
});

describe('a stdio server that prints a banner and then answers', () => {
  it('keeps working (discovery, calls), and health still shows what it printed', async () => {
    const server = await addServer(t, rawBody('banner', ['--garbage']));
    const discover = await t.api('POST', `/downstreams/${server.id}/discover`);
    expect(discover.status).toBe(200);
    expect(text(await client.callTool({ name: 'banner__echo', arguments: { message: 'through the noise' } }))).toBe('Echo: through the noise');
    const health = await healthOf(server.id);
    expect(health.state).not.toBe('failed');
    expect(health.stdout_not_jsonrpc.count).toBeGreaterThanOrEqual(3);
    expect(health.stdout_not_jsonrpc.tail).toEqual(expect.arrayContaining(['this is not json', '{"hello":"world"}', '[1,2,3]']));
    expect(health.stdout_not_jsonrpc.tail.length).toBeLessThanOrEqual(20);
  });

  it('a later call timeout of that server names the lines too', async () => {
    const server = await addServer(t, rawBody('bannerhang', ['--garbage'], { call_timeout_sec: 1 }));
    const error = await rejection(client.callTool({ name: 'bannerhang__hang', arguments: {} }));
    expect(error.message).toContain('did not respond within 1 s');
    expect(error.message).toContain(`not JSON-RPC, e.g. "this is not json": ${RULE}`);
    await t.api('DELETE', `/downstreams/${server.id}`);
  });

  it('a server that writes only JSON-RPC has no stdout_not_jsonrpc in health', async () => {
    const server = await addServer(t, rawBody('clean'));
    expect((await t.api('POST', `/downstreams/${server.id}/discover`)).status).toBe(200);
    expect((await healthOf(server.id)).stdout_not_jsonrpc).toBeUndefined();
  });
});
