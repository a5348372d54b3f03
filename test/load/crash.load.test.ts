// kill -9 of the daemon in a burst of config writes and audit writes (issue 21, "Load and faults").
// Each round starts the real daemon (dist/cli.js serve) on one home and a fresh port, leaves one
// call waiting for approval, runs concurrent REST writers (downstreams, workspaces, routes created,
// updated and deleted in a cycle) and MCP callers (one audit record per call), kills the daemon
// with SIGKILL at a random moment, starts it again on the same home and checks what it finds:
// - config.json parses, the daemon loads it (health `ok`, not `degraded`), and each writer's
//   entities on disk are exactly its last acknowledged state or the state after its one write in
//   flight (the store writes one state at a time, through a temp file and a rename, so the file
//   always holds the state after some prefix of the writes: every acknowledged one, and maybe the
//   one each writer had in flight); no `.config.json.tmp` is left, and a later write lands;
// - audit.db opens, GET /audit answers, every call acknowledged more than LOSS_SLACK_MS before the
//   kill has its record (docs: a crash loses at most one batch window, 1 s), and no record is
//   there that no call made;
// - the approval left pending is `cancelled` ("server restart");
// - one `mcplexer connect` process, started once, answers a tools/call after every restart without
//   being restarted itself (it re-dials through gateway.lock, which names the new port).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { configStateSchema } from '../../src/gateway/config/index.js';
import { connectBridge, EVERYTHING, killStrayGateway, text, type Bridge } from '../helpers/mcp.js';
import { serveDaemon, type Daemon } from './crash-daemon.js';
import { scaled } from './profile.js';

const ROUNDS = scaled(10, 3);
const WRITERS = scaled(4, 3);
const CALLERS = scaled(4, 2);
/**
 * The documented loss bound is one batch window (1 s, audit/README.md) on the daemon's clock,
 * which the test cannot read: under a burst on 2 shared cores the flush timer and the commit run
 * late. A call acknowledged this long before the kill must have its record.
 */
const LOSS_SLACK_MS = 3_000;

const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-crash-'));
const folders = mkdtempSync(path.join(tmpdir(), 'mcplexer-crash-ws-'));
let daemon: Daemon | undefined;
let bridge: Bridge | undefined;

afterAll(async () => {
  await bridge?.client.close().catch(() => undefined);
  await daemon?.stop();
  killStrayGateway(home);
  rmSync(home, { recursive: true, force: true });
  rmSync(folders, { recursive: true, force: true });
});

/** What a writer's entities look like, compared across the wire and the file. */
type Entities = Record<string, string>;

const clone = (e: Entities): Entities => ({ ...e });
const canonical = (e: Entities) => JSON.stringify(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)));

/**
 * One REST writer: a cycle of create downstream → update it → create workspace → create route →
 * update route → delete route → delete workspace → delete downstream, on entities named after it.
 * `acked` is its state after its last acknowledged write; `inFlight` the state its current write
 * would make (set before the request, cleared with the answer).
 */
class Writer {
  acked: Entities = {};
  inFlight: Entities | undefined;
  writes = 0;
  private ids: { downstream?: string; workspace?: string; route?: string } = {};
  private stopped = false;

  constructor(
    private readonly d: Daemon,
    readonly tag: string,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<void> {
    for (let n = 0; !this.stopped; n += 1) {
      const name = `${this.tag}-${n}`;
      const steps: Array<[(e: Entities) => void, () => Promise<void>]> = [
        [
          (e) => void (e[`downstream ${name}`] = 'v0'),
          async () => {
            this.ids.downstream = (await this.call('POST', '/downstreams', this.downstream(name, 'v0'), 201)).id;
          },
        ],
        [
          (e) => void (e[`downstream ${name}`] = 'v1'),
          async () => void (await this.call('PUT', `/downstreams/${this.ids.downstream}`, { args: [EVERYTHING, 'stdio', 'v1'] }, 200)),
        ],
        [
          (e) => void (e[`workspace ${name}`] = path.join(folders, name)),
          async () => {
            this.ids.workspace = (await this.call('POST', '/workspaces', { name, root_path: path.join(folders, name) }, 201)).id;
          },
        ],
        [
          (e) => void (e[`route ${name}`] = 'deny'),
          async () => {
            this.ids.route = (await this.call('POST', '/routes', { workspace_id: this.ids.workspace, tool_pattern: `${name}__*`, policy: 'deny' }, 201)).id;
          },
        ],
        [(e) => void (e[`route ${name}`] = 'allow'), async () => void (await this.call('PUT', `/routes/${this.ids.route}`, { policy: 'allow' }, 200))],
        [(e) => void delete e[`route ${name}`], async () => void (await this.call('DELETE', `/routes/${this.ids.route}`, undefined, 204))],
        [(e) => void delete e[`workspace ${name}`], async () => void (await this.call('DELETE', `/workspaces/${this.ids.workspace}`, undefined, 204))],
        [(e) => void delete e[`downstream ${name}`], async () => void (await this.call('DELETE', `/downstreams/${this.ids.downstream}`, undefined, 204))],
      ];
      for (const [effect, request] of steps) {
        if (this.stopped) return;
        const next = clone(this.acked);
        effect(next);
        this.inFlight = next;
        try {
          await request();
        } catch (error) {
          if (this.stopped) return; // the daemon was killed under this write: it stays in flight
          throw error;
        }
        this.acked = next;
        this.inFlight = undefined;
        this.writes += 1;
      }
    }
  }

  private downstream(name: string, version: string) {
    return { name, namespace: name.replace(/[^a-z0-9]/g, ''), command: process.execPath, args: [EVERYTHING, 'stdio', version], enabled: false };
  }

  private async call(method: string, apiPath: string, body: unknown, expected: number): Promise<any> {
    const res = await this.d.api(method, apiPath, body);
    if (res.status !== expected) throw new Error(`${method} ${apiPath} → ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** This writer's entities as config.json holds them. */
  static onDisk(state: any, tag: string): Entities {
    const out: Entities = {};
    const mine = (name: string) => name.startsWith(`${tag}-`);
    for (const s of state.downstreams) if (mine(s.name)) out[`downstream ${s.name}`] = s.args[2];
    for (const w of state.workspaces) if (mine(w.name)) out[`workspace ${w.name}`] = w.root_path;
    for (const r of state.routes) {
      const name = String(r.tool_pattern).replace(/__\*$/, '');
      if (mine(name)) out[`route ${name}`] = r.policy;
    }
    return out;
  }
}

/** An MCP client that calls `ev__echo` in a loop, each call with its own message; when each was acknowledged. */
class Caller {
  readonly sent = new Set<string>();
  readonly acked = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly tag: string,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<void> {
    for (let n = 0; !this.stopped; n += 1) {
      const message = `${this.tag}-${n}`;
      this.sent.add(message);
      try {
        const result = await this.client.callTool({ name: 'ev__echo', arguments: { message } }, { timeout: 30_000 });
        if (text(result) !== `Echo: ${message}`) throw new Error(`unexpected answer ${JSON.stringify(result)}`);
      } catch (error) {
        if (this.stopped) return;
        throw error;
      }
      this.acked.set(message, Date.now());
    }
  }
}

async function mcpClient(d: Daemon, name: string): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', d.url), { requestInit: { headers: { authorization: `Bearer ${d.token}` } } }));
  return client;
}

/** Every audit record of `ev__echo` (newest first), paged. */
async function echoRecords(d: Daemon): Promise<Array<{ id: string; params_redacted: { message: string }; status: string }>> {
  const out: Array<{ id: string; params_redacted: { message: string }; status: string }> = [];
  for (let offset = 0; ; offset += 500) {
    const page = await d.api('GET', `/audit?tool_name=ev__echo&limit=500&offset=${offset}`);
    expect(page.status).toBe(200);
    out.push(...page.body.data);
    if (page.body.data.length < 500) return out;
  }
}

describe('kill -9 in a burst of config and audit writes', () => {
  it(`${ROUNDS} rounds: config.json holds a complete state, audit.db opens within its loss bound, pending approvals are cancelled, connect reconnects`, async () => {
    daemon = await serveDaemon(home);
    const ev = await daemon.api('POST', '/downstreams', {
      name: 'Everything',
      namespace: 'ev',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
    expect(ev.status).toBe(201);
    // get-sum waits for a person, for an hour: only the crash ends it.
    const gate = await daemon.api('POST', '/routes', {
      workspace_id: 'global',
      tool_pattern: 'ev__get-sum',
      policy: 'approve',
      approval_timeout_sec: 3600,
      priority: 1,
    });
    expect(gate.status).toBe(201);
    mkdirSync(path.join(folders, 'bridge'));
    bridge = await connectBridge(home, { cwd: path.join(folders, 'bridge') });
    expect(text(await bridge.client.callTool({ name: 'ev__echo', arguments: { message: 'bridge before' } }))).toBe('Echo: bridge before');

    const figures: string[] = [];
    const sentEver = new Set<string>();
    const mustHave = new Set<string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const d = daemon!;
      // One call waiting for approval.
      const approver = await mcpClient(d, `approval-${round}`);
      const waiting = approver.callTool({ name: 'ev__get-sum', arguments: { a: round, b: 1 } }, { timeout: 600_000 }).catch((error: Error) => error);
      let pendingId: string | undefined;
      for (const deadline = Date.now() + 20_000; !pendingId && Date.now() < deadline;) {
        const pending = await d.api('GET', '/approvals');
        pendingId = pending.body.find((a: { tool_name: string; status: string }) => a.tool_name === 'ev__get-sum')?.id;
        if (!pendingId) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(pendingId).toBeDefined();

      const writers = Array.from({ length: WRITERS }, (_, i) => new Writer(d, `r${round}w${i}`));
      const clients = await Promise.all(Array.from({ length: CALLERS }, (_, i) => mcpClient(d, `caller-${round}-${i}`)));
      const callers = clients.map((client, i) => new Caller(client, `r${round}c${i}`));
      const running = [...writers.map((w) => w.run()), ...callers.map((c) => c.run())];
      const failed = Promise.all(running).then(
        () => undefined,
        (error: Error) => error,
      );
      const delay = 1_000 + Math.floor(Math.random() * scaled(4_000, 3_000));
      const early = await Promise.race([failed, new Promise<undefined>((resolve) => setTimeout(resolve, delay))]);
      if (early) throw early; // a writer or caller failed before the kill
      for (const w of writers) w.stop();
      for (const c of callers) c.stop();
      const killedAt = Date.now();
      await d.kill9();
      await Promise.allSettled(running);
      expect(await failed).toBeUndefined();
      await Promise.allSettled([...clients.map((c) => c.close()), approver.close()]);
      expect(await waiting).toBeInstanceOf(Error);

      // What the crash left: a config file that parses and validates.
      const raw = JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8'));
      expect(configStateSchema.safeParse(raw).success).toBe(true);
      for (const w of writers) {
        const disk = canonical(Writer.onDisk(raw, w.tag));
        const allowed = [canonical(w.acked), ...(w.inFlight ? [canonical(w.inFlight)] : [])];
        expect(allowed, `writer ${w.tag}`).toContain(disk);
      }

      daemon = await serveDaemon(home);
      const back = daemon;
      expect(back.port).not.toBe(d.port);
      const health = await back.api('GET', '/health');
      expect(health.body.status).toBe('ok');
      expect(readdirSync(home).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      // A later write lands, in the file too.
      const later = await back.api('POST', '/workspaces', { name: `after-${round}`, root_path: path.join(folders, `after-${round}`) });
      expect(later.status).toBe(201);
      expect(JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8')).workspaces.map((w: { id: string }) => w.id)).toContain(later.body.id);

      // The audit trail: every call acknowledged before the loss window is there; nothing else is.
      let acked = 0;
      let recent = 0;
      for (const c of callers) {
        for (const message of c.sent) sentEver.add(message);
        for (const [message, at] of c.acked) {
          acked += 1;
          if (killedAt - at > LOSS_SLACK_MS) mustHave.add(message);
          else recent += 1;
        }
      }
      const records = await echoRecords(back);
      const messages = records.map((r) => r.params_redacted.message);
      const stored = new Set(messages);
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
      expect(messages.filter((m) => m !== 'bridge before' && !m.startsWith('bridge after') && !sentEver.has(m))).toEqual([]);
      expect([...mustHave].filter((m) => !stored.has(m))).toEqual([]);
      const lostAges = callers.flatMap((c) => [...c.acked].filter(([m]) => !stored.has(m)).map(([, at]) => killedAt - at));
      const lost = lostAges.length;

      // The approval left pending is cancelled by the start.
      const cancelled = await back.api('GET', '/approvals?status=cancelled&limit=500');
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.find((a: { id: string }) => a.id === pendingId)).toMatchObject({ status: 'cancelled', resolution: 'server restart' });
      expect((await back.api('GET', '/approvals')).body).toEqual([]);

      // The same bridge process, never restarted, finds the new daemon by itself.
      const message = `bridge after ${round}`;
      expect(text(await bridge.client.callTool({ name: 'ev__echo', arguments: { message } }))).toBe(`Echo: ${message}`);

      const writes = writers.reduce((sum, w) => sum + w.writes, 0);
      figures.push(
        `round ${round + 1}: killed after ${delay} ms; ${writes} acknowledged config writes (${writers.filter((w) => w.inFlight).length} in flight); ` +
          `${acked} acknowledged calls (${recent} within ${LOSS_SLACK_MS} ms of the kill, ${lost} of those lost, the oldest acknowledged ${lost ? Math.max(...lostAges) : 0} ms before the kill); ${records.length} echo records in all`,
      );
    }
    expect(bridge.stderr()).toContain('reconnected to the MCPlexer gateway');
    console.log(`crash: ${figures.join('\n       ')}`);
  });
});
