// The views' edit forms and their names, through the real host handlers against a real gateway (a
// new user's trial in code-server): an edit of a rule's policy sent the stored approval_mode back
// and the gateway refused it ("none" contradicts policy "approve"); the Approvals card named the
// server by its UUID and the audit detail the rule by its. Each case here drives the view's own
// pure model (form → body, record → words) with what the real handlers answer.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalsProtocol } from '../../src/shared/webviews/approvals-protocol.js';
import type { AuditProtocol } from '../../src/shared/webviews/audit-protocol.js';
import type { RuleAnswer } from '../../src/shared/webviews/answers.js';
import type { ApprovalRecord } from '../../src/shared/approval-record.js';
import type { AuditPage } from '../../src/shared/schemas/audit.js';
import type { EntityNames } from '../../src/shared/webviews/entity-names.js';
import { approvalsHandlers } from '../../src/shared/webviews/host/approvals-handlers.js';
import { auditHandlers } from '../../src/shared/webviews/host/audit-handlers.js';
import type { Handlers } from '../../src/shared/webviews/host/host-channel.js';
import { routesHandlers } from '../../src/shared/webviews/host/routes-handlers.js';
import { serversHandlers } from '../../src/shared/webviews/host/servers-handlers.js';
import { pendingCard } from '../../src/webview/approvals/model.js';
import { recordFacts } from '../../src/webview/audit/record-model.js';
import { routeFormToBody, routeToForm, setRouteFormValue, type RouteFormValues } from '../../src/webview/routes/form-model.js';
import { serverFormToBody, serverToForm } from '../../src/webview/servers/form-model.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody } from '../helpers/mcp.js';

let t: TestGateway;
let mcp: Client;
let server: { id: string; name: string };

const source = () => ({ client: () => t.client as never, folders: () => [] });
const noCtx = { notify: () => undefined, onDispose: () => undefined };

beforeAll(async () => {
  t = await startTestGateway();
  // Added without an id, as the view adds it: the gateway gives it a UUID.
  server = await addServer(t, everythingStdioBody('everything', { name: 'Everything' }));
  expect(server.id).toMatch(/^[0-9a-f-]{36}$/);
  mcp = await connectHttp(t);
});
afterAll(async () => {
  await mcp?.close();
  await t?.close();
});

/** Opens the rule's edit form, applies the user's edits, saves through the Routes host handler. */
async function editRule(id: string, edits: Partial<RouteFormValues>): Promise<RuleAnswer> {
  const stored = (await t.api('GET', `/routes/${id}`)).body as RuleAnswer;
  const form = { values: routeToForm(stored), initial: routeToForm(stored) };
  for (const [field, value] of Object.entries(edits)) setRouteFormValue(form, field as keyof RouteFormValues, value as never);
  const checked = routeFormToBody(form.values, 'update', form.initial);
  expect(checked.ok, JSON.stringify(checked)).toBe(true);
  const handlers = routesHandlers(source());
  await handlers['routes/update']({ id, body: bodyOf(checked) });
  return (await t.api('GET', `/routes/${id}`)).body as RuleAnswer;
}

function bodyOf(result: { ok: boolean }): never {
  return (result as unknown as { body: never }).body;
}

async function createRule(body: Record<string, unknown>): Promise<string> {
  const res = await t.api('POST', '/routes', { workspace_id: 'global', ...body });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

describe('an edit sends what the user changed; the gateway re-derives the rest', () => {
  it.each([
    ['deny → approve (the trial)', { policy: 'deny' }, { policy: 'approve' }, { policy: 'approve', approval_mode: 'all' }],
    ['approve → deny', { policy: 'approve' }, { policy: 'deny' }, { policy: 'deny', approval_mode: 'none' }],
    ['allow → approve', { policy: 'allow' }, { policy: 'approve' }, { policy: 'approve', approval_mode: 'all' }],
    ['allow with write → deny', { policy: 'allow', approval_mode: 'write' }, { policy: 'deny' }, { policy: 'deny', approval_mode: 'none' }],
    [
      'approve with write → allow keeps nothing stale',
      { policy: 'approve', approval_mode: 'write' },
      { policy: 'allow' },
      { policy: 'allow', approval_mode: 'none' },
    ],
  ] as const)('%s', async (_, stored, edits, expected) => {
    // The trial's pattern was everything__echo; another one here keeps these rules off the calls below.
    const id = await createRule({ tool_pattern: 'edits__echo', ...stored });
    expect(await editRule(id, edits)).toMatchObject({ ...expected, tool_pattern: 'edits__echo' });
  });

  it('a change of another field leaves policy and approval mode as stored', async () => {
    const id = await createRule({ tool_pattern: 'edits__echo', policy: 'allow', approval_mode: 'write', priority: 5 });
    expect(await editRule(id, { priority: '7' })).toMatchObject({ policy: 'allow', approval_mode: 'write', priority: 7 });
  });

  it('Servers: a rename sends the name alone; a new transport drops the old one’s fields at the gateway', async () => {
    const added = await addServer(t, everythingStdioBody('edits', { name: 'Edits', env: { KEEP: '1' } }));
    const handlers = serversHandlers(source());
    const open = async () => {
      const stored = (await t.api('GET', `/downstreams/${added.id}`)).body;
      return { values: serverToForm(stored), initial: serverToForm(stored) };
    };
    const rename = await open();
    rename.values.name = 'Edits renamed';
    const renamed = serverFormToBody(rename.values, 'update', rename.initial);
    expect(renamed).toEqual({ ok: true, body: { name: 'Edits renamed' } });
    await handlers['servers/update']({ id: added.id, body: bodyOf(renamed) });
    expect((await t.api('GET', `/downstreams/${added.id}`)).body).toMatchObject({ name: 'Edits renamed', env: { KEEP: '1' }, transport: 'stdio' });

    const move = await open();
    move.values.transport = 'http';
    move.values.url = 'http://127.0.0.1:9/mcp';
    const moved = serverFormToBody(move.values, 'update', move.initial);
    expect(moved).toEqual({ ok: true, body: { transport: 'http', url: 'http://127.0.0.1:9/mcp' } });
    await handlers['servers/update']({ id: added.id, body: bodyOf(moved) });
    const after = (await t.api('GET', `/downstreams/${added.id}`)).body;
    expect(after).toMatchObject({ transport: 'http', url: 'http://127.0.0.1:9/mcp', name: 'Edits renamed' });
    expect(after.command).toBeUndefined();
  });
});

describe('Approvals and Audit name what a record refers to', () => {
  it('a pending card names the server and the rule; the audit detail too; a deleted one is its id, marked', async () => {
    const ruleId = await createRule({ tool_pattern: 'everything__echo', policy: 'approve', path_glob: '**' });
    const approvals: Handlers<ApprovalsProtocol> = approvalsHandlers(source(), noCtx as never);
    const call = mcp.callTool({ name: 'everything__echo', arguments: { message: 'hi' } });
    const listed = await waitFor(async () => {
      const list = (await approvals['approvals/pending']({})) as ApprovalRecord[];
      return list.length > 0 ? list : undefined;
    });
    const pending = listed?.[0];
    expect(pending!.downstream_server_id).toBe(server.id);
    expect(pending!.route_rule_id).toBe(ruleId);
    const names = (await approvals['approvals/names']({})) as EntityNames;
    const card = pendingCard(pending!, Date.now(), names);
    expect(card.server).toBe('Everything');
    expect(card.rule).toBe('everything__echo in workspace “Global”');
    expect(JSON.stringify(card)).not.toContain(server.id);

    await approvals['approvals/resolve']({ id: pending!.id, approved: true });
    await call;

    const audit: Handlers<AuditProtocol> = auditHandlers(source(), noCtx as never);
    const page = (await audit['audit/list']({ filter: { tool_name: 'everything__echo' }, limit: 1, offset: 0 })) as AuditPage;
    const record = page.data[0]!;
    const facts = (n: typeof names) => Object.fromEntries(recordFacts(record, n).map((f) => [f.key, f.text]));
    expect(facts((await audit['audit/names']({})) as EntityNames)).toMatchObject({
      server: 'Everything',
      rule: 'everything__echo in workspace “Global”',
      workspace: 'Global',
    });

    // Gone since: the rule (deleted) and, through a rename, the server's new name.
    expect((await t.api('DELETE', `/routes/${ruleId}`)).status).toBe(204);
    expect((await t.api('PUT', `/downstreams/${server.id}`, { name: 'Everything 2' })).status).toBe(200);
    const later = (await audit['audit/names']({})) as EntityNames;
    expect(facts(later)).toMatchObject({ server: 'Everything 2', rule: `${ruleId} (deleted)` });
    expect(pendingCard(pending!, Date.now(), later).rule).toBe(`${ruleId} (deleted)`);
  });
});
