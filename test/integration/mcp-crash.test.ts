// A downstream killed in the middle of a call made through /mcp: the client gets an MCP error that
// names the server, the next call restarts it, and once the gateway stops none of its child
// processes (nor their children) is left, counted from /proc.
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { childrenOf, groupMembers, isRunning } from '../fixtures/downstream-servers.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, downstreamPid, everythingStdioBody, rawBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await t?.close();
  client = t = undefined;
});

describe('a downstream killed mid-call', () => {
  it('fails the call with an error naming the server, restarts on the next call, and leaves no process after stop', async () => {
    const baseline = childrenOf(process.pid);
    t = await startTestGateway();
    const everything = await addServer(t, everythingStdioBody('ev', { name: 'Everything Crashy' }));
    await addServer(t, rawBody('tree', ['--grandchild'], { name: 'Raw Tree' }));
    client = await connectHttp(t);
    expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'warm' } }))).toBe('Echo: warm');
    const tree = JSON.parse(text(await client.callTool({ name: 'tree__pids', arguments: {} }))) as { pid: number; grandchild: number };
    expect(isRunning(tree.grandchild)).toBe(true);

    let progressed = 0;
    const call = client.callTool(
      { name: 'ev__trigger-long-running-operation', arguments: { duration: 30, steps: 60 } },
      { onprogress: () => void (progressed += 1), timeout: 60_000 },
    );
    await waitFor(() => progressed > 0, 10_000);
    const pid = await downstreamPid(t, everything.id);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    const error = await rejection(call);
    expect(error.data).toEqual({ code: 'downstream_unavailable' });
    expect(error.code).toBe(-32004);
    expect(error.message).toContain('Everything Crashy');
    expect(error.message).toMatch(/SIGKILL/);

    expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'after the crash' } }))).toBe('Echo: after the crash');
    const restarted = await downstreamPid(t, everything.id);
    expect(restarted).toBeGreaterThan(0);
    expect(restarted).not.toBe(pid);
    const health = (await t.api('GET', '/health')).body.downstreams.find((d: { server_id: string }) => d.server_id === everything.id);
    expect(health.last_error).toContain('Everything Crashy');

    const running = childrenOf(process.pid).filter((child) => !baseline.includes(child));
    // Every child is an instance the health report knows (discovery's own among them), the crashed one is gone.
    const known = (await t.api('GET', '/health')).body.downstreams.flatMap((d: { instances: Array<{ pid?: number }> }) => d.instances.map((i) => i.pid));
    expect(running.sort()).toEqual(known.filter((p: number | undefined) => p !== undefined).sort());
    expect(running).toEqual(expect.arrayContaining([restarted!, tree.pid]));
    expect(running).not.toContain(pid);
    await client.close();
    client = undefined;
    await t.stop();
    expect(childrenOf(process.pid).filter((child) => !baseline.includes(child))).toEqual([]);
    expect(groupMembers(tree.pid)).toEqual([]);
    expect(groupMembers(restarted!)).toEqual([]);
    expect(isRunning(tree.grandchild)).toBe(false);
  });

  it('takes a crashed server’s grandchildren with it, and the gateway keeps serving', async () => {
    t = await startTestGateway();
    await addServer(t, rawBody('tree', ['--grandchild'], { name: 'Raw Tree' }));
    client = await connectHttp(t);
    const first = JSON.parse(text(await client.callTool({ name: 'tree__pids', arguments: {} }))) as { pid: number; grandchild: number };
    const error = await rejection(client.callTool({ name: 'tree__crash', arguments: {} }));
    expect(error.data).toEqual({ code: 'downstream_unavailable' });
    expect(error.message).toContain('Raw Tree');
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('about to crash'); // the stderr tail says why
    await waitFor(() => !isRunning(first.grandchild), 5_000);
    expect(isRunning(first.grandchild)).toBe(false);
    const second = JSON.parse(text(await client.callTool({ name: 'tree__pids', arguments: {} }))) as { pid: number; grandchild: number };
    expect(second.pid).not.toBe(first.pid);
    expect(isRunning(second.grandchild)).toBe(true);
  });

  // The bound is the test's own timeout: the pool's start timeout (30 s) is longer, so a stop that
  // waited for the stuck initialize would fail here.
  it('stops at once while a server hangs in initialize, killing it', async () => {
    const baseline = childrenOf(process.pid);
    t = await startTestGateway();
    await addServer(t, rawBody('mute', ['--no-init'], { name: 'Mute Raw', call_timeout_sec: 1 }));
    client = await connectHttp(t);
    expect((await rejection(client.callTool({ name: 'mute__echo', arguments: {} }))).data).toEqual({ code: 'timeout' });
    const stuck = childrenOf(process.pid).filter((child) => !baseline.includes(child));
    expect(stuck).toHaveLength(1);
    await client.close();
    client = undefined;
    await t.stop();
    expect(isRunning(stuck[0]!)).toBe(false);
    expect(childrenOf(process.pid).filter((child) => !baseline.includes(child))).toEqual([]);
  }, 15_000);
});
