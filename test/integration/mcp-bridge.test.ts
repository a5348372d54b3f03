// The same MCP surface through the stdio bridge: `node dist/cli.js connect --home <home>` spawned
// by a real SDK client over stdio, finding the test gateway through its gateway.lock. Its cwd picks
// the workspace, and a gateway restart under it costs only the calls that were in flight.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../fixtures/downstream-servers.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import {
  addServer,
  connectBridge,
  everythingStdioBody,
  killStrayGateway,
  memoryBody,
  rawBody,
  rawBridgeCall,
  rejection,
  startEverythingHttp,
  text,
  type Bridge,
} from '../helpers/mcp.js';
import { readLock } from '../../src/shared/node/index.js';

let t: TestGateway;
let root: string;
let elsewhere: string;
let ruleId: string;
let rawId: string;
let bridge: Bridge;
let httpEverything: Awaited<ReturnType<typeof startEverythingHttp>>;
let memory: ReturnType<typeof memoryBody>;
const extra: Bridge[] = [];

async function openBridge(options: Parameters<typeof connectBridge>[1]): Promise<Bridge> {
  const opened = await connectBridge(t.home, options);
  extra.push(opened);
  return opened;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'mcplexer-bridge-ws-'));
  mkdirSync(path.join(root, 'app', 'src'), { recursive: true });
  elsewhere = mkdtempSync(path.join(tmpdir(), 'mcplexer-bridge-elsewhere-'));
  httpEverything = await startEverythingHttp();
  memory = memoryBody('mem');
  t = await startTestGateway({ lock: true });
  await addServer(t, everythingStdioBody('ev'));
  await addServer(t, { name: 'Everything over HTTP', url: httpEverything.url, namespace: 'evh' });
  await addServer(t, memory.body);
  rawId = (await addServer(t, rawBody('raw'))).id;
  const workspace = (await t.api('POST', '/workspaces', { name: 'Bridge workspace', root_path: root })).body;
  ruleId = (await t.api('POST', '/routes', { workspace_id: workspace.id, tool_pattern: 'ev__get-sum', policy: 'deny' })).body.id;
  bridge = await connectBridge(t.home, { cwd: elsewhere, sampling: 'sampled through the bridge' });
}, 60_000);
afterEach(async () => {
  await Promise.all(extra.splice(0).map((b) => b.client.close()));
});
afterAll(async () => {
  await bridge?.client.close();
  if (t) killStrayGateway(t.home);
  await t?.close();
  await httpEverything?.stop();
  memory?.cleanup();
  for (const dir of [root, elsewhere]) rmSync(dir, { recursive: true, force: true });
});

describe('MCP through mcplexer connect', () => {
  it('lists every server’s tools under its namespace and round-trips a call to each', async () => {
    const names = (await bridge.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['ev__echo', 'evh__echo', 'mem__read_graph', 'raw__hang', 'ev__get-sum']));
    for (const name of names) expect(name).toMatch(/^(ev|evh|mem|raw|mcpx)__/);
    expect(text(await bridge.client.callTool({ name: 'ev__echo', arguments: { message: 'stdio via bridge' } }))).toBe('Echo: stdio via bridge');
    expect(text(await bridge.client.callTool({ name: 'evh__echo', arguments: { message: 'http via bridge' } }))).toBe('Echo: http via bridge');
    await bridge.client.callTool({ name: 'mem__create_entities', arguments: { entities: [{ name: 'Grace', entityType: 'person', observations: ['COBOL'] }] } });
    expect(JSON.parse(text(await bridge.client.callTool({ name: 'mem__read_graph', arguments: {} }))).entities).toEqual([
      expect.objectContaining({ name: 'Grace' }),
    ]);
  });

  it('reads a resource, gets a prompt with arguments and completes an argument', async () => {
    const uri = (await bridge.client.listResources()).resources.map((r) => r.uri).find((u) => u.startsWith('mcplexer://evh/demo://resource/static/'));
    expect(uri).toBeDefined();
    const read = await bridge.client.readResource({ uri: uri! });
    expect(read.contents[0]!.uri).toBe(uri);
    const prompt = await bridge.client.getPrompt({ name: 'ev__args-prompt', arguments: { city: 'Oslo' } });
    expect(prompt.messages[0]!.content).toMatchObject({ text: "What's weather in Oslo?" });
    const completion = await bridge.client.complete({
      ref: { type: 'ref/prompt', name: 'ev__completable-prompt' },
      argument: { name: 'department', value: 'Mar' },
    });
    expect(completion.completion.values).toEqual(['Marketing']);
  });

  it.each(['ev', 'evh'])('writes every progress notification of %s to its stdout before the result', async (namespace) => {
    const wire = await rawBridgeCall(t.home, elsewhere, {
      name: `${namespace}__trigger-long-running-operation`,
      arguments: { duration: 0.4, steps: 4 },
      _meta: { progressToken: 'tok' },
    });
    const sequence = wire
      .filter((m) => m.method === 'notifications/progress' || m.id === 2)
      .map((m) => (m.id === 2 ? 'result' : `${m.params.progressToken}:${m.params.progress}/${m.params.total}`));
    expect(sequence).toEqual(['tok:1/4', 'tok:2/4', 'tok:3/4', 'tok:4/4', 'result']);
    expect(wire.at(-1)!.result.content[0].text).toContain('Steps: 4');
  });

  // The SDK client dispatches a notification one microtask after reading it but settles a response
  // at once, so a progress notification read in the same chunk as the result is lost on its side.
  // What it does receive must be in order and before the result.
  it('delivers the progress to an SDK client in order, before the result', async () => {
    const events: string[] = [];
    const result = await bridge.client.callTool(
      // arguments of its own: the call the test above made is read-only, so it would be answered from the cache, without progress
      { name: 'ev__trigger-long-running-operation', arguments: { duration: 0.41, steps: 4 } },
      { onprogress: (p) => void events.push(`${p.progress}/${p.total}`) },
    );
    events.push('result');
    expect(text(result)).toContain('Steps: 4');
    expect(events.slice(0, 3)).toEqual(['1/4', '2/4', '3/4']);
    expect(events.at(-1)).toBe('result');
    expect(['1/4,2/4,3/4,result', '1/4,2/4,3/4,4/4,result']).toContain(events.join(','));
  });

  it('forwards a cancellation to the downstream', async () => {
    const health = async () => (await t.api('GET', '/health')).body.downstreams.find((d: { server_id: string }) => d.server_id === rawId);
    const abort = new AbortController();
    const call = bridge.client.callTool({ name: 'raw__hang', arguments: {} }, { signal: abort.signal });
    await waitFor(async () => (await health())?.state === 'busy', 10_000);
    abort.abort();
    await rejection(call);
    const line = await waitFor(async () => ((await health())?.stderr_tail ?? []).find((l: string) => /^cancelled /.test(l)), 10_000);
    expect(line).toBeDefined();
    expect(text(await bridge.client.callTool({ name: 'raw__echo', arguments: { message: 'after cancel' } }))).toBe('Echo: after cancel');
  });

  it('has the client behind the bridge answer a sampling request', async () => {
    const result = await bridge.client.callTool({ name: 'ev__trigger-sampling-request', arguments: { prompt: 'bridge me' } });
    expect(text(result)).toContain('sampled through the bridge');
  });
});

describe('the bridge’s cwd selects the workspace', () => {
  const denied = async (b: Bridge) => {
    expect((await b.client.listTools()).tools.map((tool) => tool.name)).not.toContain('ev__get-sum');
    const error = await rejection(b.client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }));
    expect(error.code).toBe(-32003);
    expect(error.message).toContain(`rule ${ruleId}`);
    expect(text(await b.client.callTool({ name: 'ev__echo', arguments: { message: 'allowed' } }))).toBe('Echo: allowed');
  };

  it('hides and refuses the denied tool for a bridge started inside the workspace', async () => {
    await denied(await openBridge({ cwd: path.join(root, 'app', 'src') }));
    await denied(await openBridge({ cwd: root }));
  });

  it('takes MCPLEXER_CLIENT_CWD over the process cwd', async () => {
    await denied(await openBridge({ cwd: elsewhere, env: { MCPLEXER_CLIENT_CWD: root } }));
  });

  it('allows the tool for a bridge started elsewhere', async () => {
    expect((await bridge.client.listTools()).tools.map((tool) => tool.name)).toContain('ev__get-sum');
    expect(text(await bridge.client.callTool({ name: 'ev__get-sum', arguments: { a: 40, b: 2 } }))).toContain('42');
  });
});

describe('a gateway restart under the bridge', () => {
  it('fails the call in flight naming the gateway, then reconnects to the new gateway', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-bridge-restart-'));
    let first: TestGateway | undefined = await startTestGateway({ home, lock: true });
    let second: TestGateway | undefined;
    let b: Bridge | undefined;
    try {
      await addServer(first, everythingStdioBody('ev'));
      b = await connectBridge(home, { cwd: elsewhere });
      expect(text(await b.client.callTool({ name: 'ev__echo', arguments: { message: 'before' } }))).toBe('Echo: before');
      let progressed = 0;
      const inFlight = b.client.callTool(
        { name: 'ev__trigger-long-running-operation', arguments: { duration: 20, steps: 40 } },
        { onprogress: () => void (progressed += 1), timeout: 25_000 },
      );
      // Take the rejection now: it may arrive while the gateway is still stopping.
      const inFlightError = rejection(inFlight);
      await waitFor(() => progressed > 0, 10_000);
      const oldUrl = first.url;
      await first.stop();
      first = undefined;
      const error = await inFlightError;
      expect(error.message).toContain(`MCPlexer gateway at ${oldUrl}`);
      expect(error.message).toContain('connection lost');

      second = await startTestGateway({ home, lock: true });
      expect(second.url).not.toBe(oldUrl);
      expect(text(await b.client.callTool({ name: 'ev__echo', arguments: { message: 'after' } }))).toBe('Echo: after');
      expect(text(await b.client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 1 } }))).toContain('2');
      expect(readLock(home)?.pid).toBe(process.pid); // the bridge found this gateway, it did not start its own
      expect(b.stderr()).toContain('reconnected to the MCPlexer gateway');
      const pid = b.transport.pid!;
      await b.client.close();
      b = undefined;
      await waitFor(() => !isRunning(pid), 5_000);
      expect(isRunning(pid)).toBe(false);
    } finally {
      await b?.client.close();
      await first?.stop();
      await second?.stop();
      killStrayGateway(home);
      rmSync(home, { recursive: true, force: true });
    }
  });
});
