// The pool's lifecycle against a misbehaving raw stdio fixture: crashes, hangs, garbage, timeouts.
import { afterAll, describe, expect, it } from 'vitest';
import { DownstreamPool, type InstanceRef } from '../../src/gateway/downstream/index.js';
import { makeServer, rawServer, isRunning, waitFor } from '../fixtures/downstream-servers.js';

const pool = new DownstreamPool({ startTimeoutMs: 5_000, stopGraceMs: 500 });
afterAll(() => pool.stopAll({ drainMs: 0 }));

const text = (result: Record<string, unknown>) => (result.content as { text: string }[])[0]!.text;
const echo = (server: ReturnType<typeof rawServer>, timeoutMs = 5_000) =>
  pool.callTool(server, null, { name: 'echo', arguments: { message: 'ping' } }, { timeoutMs });
const pidOf = (server: ReturnType<typeof rawServer>) => pool.serverHealth(server).instances[0]!.pid!;
const stderrHas = (server: ReturnType<typeof rawServer>, prefix: string) => pool.serverHealth(server).stderr_tail.some((line) => line.startsWith(prefix));

describe('calls', () => {
  it('sends notifications/cancelled downstream when the caller aborts', async () => {
    const server = rawServer();
    await echo(server); // started, so the abort hits the call rather than the start
    const controller = new AbortController();
    const call = pool.callTool(server, null, { name: 'hang' }, { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort('client went away'), 100);
    await expect(call).rejects.toMatchObject({ code: 'cancelled', message: 'the call to "raw" was cancelled' });
    await waitFor(() => stderrHas(server, 'cancelled '));
    expect(pool.serverHealth(server).instances[0]).toMatchObject({ state: 'ready', in_flight: 0 });
  });

  it('times out a server that never answers, and tells it so', async () => {
    const server = rawServer();
    await echo(server);
    await expect(pool.callTool(server, null, { name: 'hang' }, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'timeout',
      message: '"raw" did not respond within 0.3 s',
    });
    await waitFor(() => stderrHas(server, 'cancelled '));
    expect(text(await echo(server))).toBe('Echo: ping'); // the instance is still usable
  });

  it('keeps working when the server prints garbage on stdout', async () => {
    const server = rawServer(['--garbage']);
    expect(text(await echo(server))).toBe('Echo: ping');
    const found = await pool.discover(server, null);
    expect(found.tools).toHaveLength(16);
  });

  it('delivers progress that shares a chunk with the result before the result', async () => {
    const server = rawServer();
    const events: unknown[] = [];
    const result = await pool.callTool(
      server,
      null,
      { name: 'progress', arguments: { steps: 4 } },
      { timeoutMs: 5_000, onProgress: (update) => events.push(update.progress) },
    );
    events.push(text(result));
    expect(events).toEqual([1, 2, 3, 4, 'done 4']);
  });

  it('routes logging to the call in flight, list_changed to pool events', async () => {
    const server = rawServer();
    const poolEvents: string[] = [];
    const onNotification = (event: { notification: { method: string } }) => poolEvents.push(event.notification.method);
    const onToolsChanged = (ref: InstanceRef) => poolEvents.push(`tools_changed:${ref.server_id}`);
    pool.on('notification', onNotification);
    pool.on('tools_changed', onToolsChanged);
    const routed: string[] = [];
    await pool.callTool(server, null, { name: 'log' }, { timeoutMs: 5_000, owner: 's1', onNotification: (n) => routed.push(n.method) });
    await pool.callTool(server, null, { name: 'notify_changed' }, { timeoutMs: 5_000, owner: 's1', onNotification: (n) => routed.push(n.method) });
    await waitFor(() => poolEvents.length >= 2);
    pool.off('notification', onNotification);
    pool.off('tools_changed', onToolsChanged);
    expect(routed).toEqual(['notifications/message']);
    expect(poolEvents).toEqual(['notifications/tools/list_changed', `tools_changed:${server.id}`]);
  });

  it('routes elicitation to the call in flight, and refuses it when the call cannot answer', async () => {
    const server = rawServer();
    const answered = await pool.callTool(
      server,
      null,
      { name: 'elicit' },
      {
        timeoutMs: 5_000,
        owner: 's1',
        clientCapabilities: 'elicitation.form',
        onServerRequest: async (request) => {
          expect(request.method).toBe('elicitation/create');
          return { action: 'accept', content: { name: 'Ada' } };
        },
      },
    );
    expect(JSON.parse(text(answered))).toEqual({ action: 'accept', content: { name: 'Ada' } });
    const refused = await pool.callTool(server, null, { name: 'sample' }, { timeoutMs: 5_000, owner: 's1', clientCapabilities: 'sampling' });
    expect(text(refused)).toContain('no client request is in flight through MCPlexer');
    // A capability the instance never declared is refused as an SDK client without the handler would: -32601.
    const undeclared = await pool.callTool(server, null, { name: 'sample' }, { timeoutMs: 5_000, owner: 's1' });
    expect(JSON.parse(text(undeclared))).toMatchObject({ code: -32601, message: expect.stringContaining('did not declare sampling') });
  });

  it('runs concurrent calls on one process', async () => {
    const server = rawServer();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pool.callTool(server, null, { name: 'echo', arguments: { message: i } }, { timeoutMs: 5_000 })),
    );
    expect(results.map(text)).toEqual(Array.from({ length: 20 }, (_, i) => `Echo: ${i}`));
    expect(pool.serverHealth(server).instances).toHaveLength(1);
  });

  it('reads every page of every list', async () => {
    const found = await pool.discover(rawServer(), null);
    expect(found.tools.map((tool) => tool.name)).toHaveLength(16);
    expect(found.resources.map((resource) => resource.name)).toEqual(['r1', 'r2', 'r3']);
    expect(found.resource_templates).toEqual([{ uriTemplate: 'fixture://t/{id}', name: 't' }]);
    expect(found.prompts).toEqual([{ name: 'p1' }, { name: 'ask' }]);
  });

  it('asks only for the lists whose capability the server declared', async () => {
    const found = await pool.discover(rawServer(['--tools-only']), null);
    expect(found).toMatchObject({ resources: [], resource_templates: [], prompts: [] });
    expect(found.tools).toHaveLength(16);
  });
});

describe('crashes and restarts', () => {
  it('fails only the call in flight when the child is killed, naming the server, signal and stderr; the next call restarts it', async () => {
    const server = rawServer([], { name: 'fragile' });
    await echo(server);
    const pid = pidOf(server);
    const inFlight = pool.callTool(server, null, { name: 'hang' }, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(pid, 'SIGKILL');
    const error = await inFlight.catch((caught: unknown) => caught as Error & { code: string });
    expect(error.code).toBe('downstream_unavailable');
    expect(error.message).toContain('downstream server "fragile" was killed by SIGKILL');
    expect(error.message).toContain(`raw server ${pid} starting`);
    expect(pool.serverHealth(server)).toMatchObject({ state: 'failed', consecutive_failures: 1, last_error: error.message });

    expect(text(await echo(server))).toBe('Echo: ping');
    expect(pidOf(server)).not.toBe(pid);
    expect(pool.serverHealth(server).state).toBe('ready');
  });

  it('reports the exit code of a child that exits during a call', async () => {
    const server = rawServer();
    const error = await pool.callTool(server, null, { name: 'crash' }, { timeoutMs: 5_000 }).catch((caught: Error) => caught);
    expect(error.message).toMatch(/^downstream server "raw" exited with code 3; stderr:\n(.|\n)*about to crash$/);
  });

  it('hints at PATH when the command does not exist, then backs off', async () => {
    const server = makeServer({ name: 'ghost', command: 'definitely-not-a-command-mcplexer' });
    await expect(echo(server)).rejects.toMatchObject({
      code: 'downstream_unavailable',
      message:
        'downstream server "ghost" failed to start: spawn definitely-not-a-command-mcplexer ENOENT — ensure the required command is installed and in PATH',
    });
    await expect(echo(server)).rejects.toThrow(/ENOENT/); // the first restart is immediate
    expect(pool.serverHealth(server)).toMatchObject({ state: 'failed', consecutive_failures: 2 });
    await expect(echo(server, 100)).rejects.toThrow(/failed 2 times in a row; next restart in 1 s/);
  });

  it('says a server that exits at start started but did not respond, with its stderr', async () => {
    const server = rawServer(['--exit-on-start=2']);
    await expect(echo(server)).rejects.toThrow(
      /^downstream server "raw" started but did not respond \(exited with code 2\)(.|\n)*fatal: missing configuration/,
    );
  });

  it('says a server that never answers initialize did not respond within the timeout period, and kills it', async () => {
    // 1.5 s: long enough for the child to print its pid line on a loaded machine (at 0.3 s it
    // sometimes had not started by the timeout), short enough to keep the test quick.
    const quick = new DownstreamPool({ startTimeoutMs: 1_500, stopGraceMs: 200 });
    const server = rawServer(['--no-init']);
    await expect(quick.callTool(server, null, { name: 'echo' }, { timeoutMs: 5_000 })).rejects.toThrow(
      /did not respond within the timeout period \(1\.5 s, setting start_timeout_sec\)/,
    );
    const started = Number(/raw server (\d+) starting/.exec(quick.serverHealth(server).stderr_tail.join('\n'))![1]);
    await waitFor(() => !isRunning(started));
    await quick.stopAll();
  });

  it('stops an idle instance after idle_timeout_sec and starts it again on the next call', async () => {
    const server = rawServer([], { idle_timeout_sec: 1 });
    await echo(server);
    const pid = pidOf(server);
    await waitFor(() => pool.serverHealth(server).state === 'idle', 3_000);
    await waitFor(() => !isRunning(pid));
    expect(text(await echo(server))).toBe('Echo: ping');
    expect(pool.serverHealth(server).state).toBe('ready');
  });

  it('drains calls in flight on stopServer, then cuts them off', async () => {
    const server = rawServer();
    await echo(server);
    const pid = pidOf(server);
    const inFlight = pool.callTool(server, null, { name: 'hang' }, { timeoutMs: 10_000 }).catch((error: Error) => error);
    await pool.stopServer(server.id, { drainMs: 100 });
    expect((await inFlight).message).toBe('downstream server "raw" was stopped while the call was in flight');
    expect(isRunning(pid)).toBe(false);
    expect(pool.serverHealth(server.id).instances).toEqual([]);
  });

  it('replaces the instance when the launch settings change, not when only metadata does', async () => {
    const server = rawServer();
    await echo(server);
    const first = pidOf(server);
    await echo({ ...server, tools: [{ name: 'x' }], updated_at: new Date(Date.now() + 1000).toISOString() });
    expect(pidOf(server)).toBe(first);
    await echo({ ...server, args: [...server.args, '--garbage'] });
    expect(pidOf(server)).not.toBe(first);
    await waitFor(() => !isRunning(first));
  });

  it('resets the failure count after a healthy period, and counts crashes in a row otherwise', async () => {
    const quick = new DownstreamPool({ healthyAfterMs: 300, stopGraceMs: 200 });
    const server = rawServer();
    const crash = () => quick.callTool(server, null, { name: 'crash' }, { timeoutMs: 5_000 }).catch(() => undefined);
    await crash();
    await crash(); // restarted at once, crashed again
    expect(quick.serverHealth(server).consecutive_failures).toBe(2);
    await quick.callTool(server, null, { name: 'echo', arguments: { message: 1 } }, { timeoutMs: 5_000 }); // after a 0.5 s backoff
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(quick.serverHealth(server).consecutive_failures).toBe(0);
    await crash();
    expect(quick.serverHealth(server).consecutive_failures).toBe(1);
    await quick.stopAll({ drainMs: 0 });
  });

  it('a server that answered a call and stayed up servedUpMs is restarted at once after a crash, not backed off', async () => {
    // servedUpMs well above what a restart, a call and a crash take on a loaded 2-core CI machine
    // (at 200 ms the last step once took longer, and the crash did not count).
    const flaky = new DownstreamPool({ servedUpMs: 1_500, stopGraceMs: 200 });
    const server = rawServer();
    const crash = () => flaky.callTool(server, null, { name: 'crash' }, { timeoutMs: 5_000 }).catch(() => undefined);
    const echoOn = () => flaky.callTool(server, null, { name: 'echo', arguments: { message: 1 } }, { timeoutMs: 5_000 });
    await crash();
    await crash(); // two starts that never answered: a crash loop so far
    expect(flaky.serverHealth(server).consecutive_failures).toBe(2);
    await echoOn(); // after the 0.5 s backoff; this connection answers
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(flaky.serverHealth(server).consecutive_failures).toBe(0); // it proved itself
    await crash();
    expect(flaky.serverHealth(server).consecutive_failures).toBe(1); // a crash, not a third in a row
    await echoOn(); // restarted at once (a first failure has no backoff)
    await crash(); // the new connection served but was up < servedUpMs: counts
    expect(flaky.serverHealth(server).consecutive_failures).toBe(2);
    await flaky.stopAll({ drainMs: 0 });
  });

  it('spreads calls over max_instances processes when a server sets it', async () => {
    const server = rawServer([], { max_instances: 2 });
    await echo(server);
    const hanging = pool.callTool(server, null, { name: 'hang' }, { timeoutMs: 10_000 }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await echo(server); // the first process is busy: a second one starts
    await echo(server);
    const pids = pool.serverHealth(server).instances.map((instance) => instance.pid);
    expect(pids).toHaveLength(2);
    expect(new Set(pids).size).toBe(2);
    await pool.stopServer(server.id, { drainMs: 0 });
    expect((await hanging).message).toContain('was stopped while the call was in flight');
  });
});
