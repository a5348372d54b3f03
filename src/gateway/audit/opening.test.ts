// The audit trail opened in the background (the gateway listens first): a real audit.db in a temp
// dir. What is taken before the file is open — records, approval calls, reads, a stream — is kept
// and handed over in order; a file that cannot open fails every one of them with its error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../shared/approval-record.js';
import type { AuditOptions } from './open.js';
import { openAudit, openAuditInBackground } from './opening.js';
import type { AuditCallFields } from './row.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-opening-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Call = { tool: string; message: string };
const options = (): AuditOptions<Call> => ({
  dataDir: dir,
  describe: (call): AuditCallFields => ({
    method: 'tools/call',
    timestamp: new Date().toISOString(),
    session_id: 's1',
    client_type: 'test',
    model: null,
    downstream_instance_id: null,
    workspace_id: 'global',
    workspace_name: 'Global',
    subpath: null,
    tool_name: call.tool,
    route_rule_id: null,
    downstream_server_id: null,
    auth_scope_id: null,
    status: 'success',
    error_code: null,
    error_message: null,
    latency_ms: 1,
    response_size: 2,
    cache_hit: false,
    args: { message: call.message },
    approval_id: null,
  }),
  redactionFor: () => ({}),
  names: { ruleSummary: () => null, serverName: () => null },
  settings: () => ({ audit_retention_days: 30, audit_max_mb: 500 }),
  flushMs: 5,
});

const approval = (id: string, status: ApprovalRecord['status'] = 'pending'): ApprovalRecord => ({
  id,
  status,
  request_session_id: 's1',
  request_client_type: null,
  request_model: null,
  workspace_id: 'global',
  workspace_name: 'Global',
  tool_name: 'ev__echo',
  arguments: {},
  justification: null,
  route_rule_id: null,
  downstream_server_id: null,
  auth_scope_id: null,
  approver_session_id: null,
  approver_type: null,
  resolution: null,
  timeout_sec: 60,
  created_at: new Date().toISOString(),
  resolved_at: null,
});

const messages = (page: { data: Array<{ params_redacted: unknown }> }) => page.data.map((r) => (r.params_redacted as { message: string }).message);

describe('openAuditInBackground', () => {
  it('keeps the records taken before audit.db is open and stores them first, in the order they came', async () => {
    const trail = openAuditInBackground(options());
    for (const message of ['one', 'two', 'three']) trail.sink.record({ tool: 'ev__echo', message });
    const page = trail.query({ filter: {}, limit: 10, offset: 0 }); // asked before the open: waits for it
    expect(messages(await page)).toEqual(['three', 'two', 'one']);
    trail.sink.record({ tool: 'ev__add', message: 'four' });
    const all = await trail.query({ filter: {}, limit: 10, offset: 0 });
    expect(messages(all)).toEqual(['four', 'three', 'two', 'one']);
    const ids = all.data.map((r) => BigInt(r.id));
    expect([...ids].sort((a, b) => (a < b ? 1 : -1))).toEqual(ids); // newest first = ids in record order
    await trail.close();
  });

  it('runs approval calls made before the open after it, in call order: the last run is cancelled before a new request is stored', async () => {
    const before = await openAudit(options());
    await before.approvals.insert(approval('left-by-last-run'));
    await before.close();

    const trail = openAuditInBackground(options());
    const cancelled = trail.approvals.cancelPending('server restart', new Date().toISOString());
    const inserted = trail.approvals.insert(approval('new-request'));
    const listed = trail.approvals.list({});
    expect(await cancelled).toBe(1);
    await inserted;
    const rows = await listed;
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ 'left-by-last-run': 'cancelled', 'new-request': 'pending' });
    expect((await trail.approvals.get('new-request'))?.status).toBe('pending'); // after the open: straight through
    await trail.close();
  });

  it('starts a stream asked for before the open once the file is open, and sends what is recorded', async () => {
    const trail = openAuditInBackground(options());
    const chunks: string[] = [];
    const end = trail.stream({ write: (chunk) => chunks.push(chunk) > 0, once: () => undefined, end: () => undefined }, {}, undefined);
    trail.sink.record({ tool: 'ev__echo', message: 'streamed' });
    await trail.opened;
    await trail.flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(chunks.join('')).toContain('streamed');
    end();
    await trail.close();
  });

  it.each([
    [
      'a file that is not SQLite',
      (file: string) => writeFileSync(file, 'not a database, just text '.repeat(200)),
      /it is not an SQLite database .*Move it aside/,
    ],
    ['a directory where the file should be', (file: string) => mkdirSync(file), /cannot open the audit database .*audit\.db: EISDIR/],
  ])('refuses at once, before the gateway listens, %s', (_case, spoil, message) => {
    spoil(path.join(dir, 'audit.db'));
    expect(() => openAuditInBackground(options())).toThrow(message);
  });

  it('an empty audit.db passes the check (SQLite makes a database in it)', async () => {
    writeFileSync(path.join(dir, 'audit.db'), '');
    const trail = openAuditInBackground(options());
    await trail.opened;
    await trail.close();
  });

  it.each([["a file with SQLite's header and nothing sound after it", (file: string) => writeFileSync(file, 'SQLite format 3\u0000' + 'x'.repeat(5000))]])(
    'fails everything that waited with the open error when audit.db cannot open (%s)',
    async (_case, spoil) => {
      spoil(path.join(dir, 'audit.db'));
      const trail = openAuditInBackground(options());
      trail.sink.record({ tool: 'ev__echo', message: 'lost with the gateway' });
      let ended = false;
      trail.stream({ write: () => true, once: () => undefined, end: () => void (ended = true) }, {}, undefined);
      const page = trail.query({ filter: {}, limit: 10, offset: 0 });
      const approvals = trail.approvals.cancelPending('server restart', new Date().toISOString());
      await expect(trail.opened).rejects.toThrow(/cannot open the audit database .*audit\.db/);
      await expect(page).rejects.toThrow(/cannot open the audit database/);
      await expect(approvals).rejects.toThrow(/cannot open the audit database/);
      await expect(trail.flush()).rejects.toThrow(/cannot open the audit database/);
      expect(ended).toBe(true);
      await expect(trail.close()).resolves.toBeUndefined();
    },
  );
});
