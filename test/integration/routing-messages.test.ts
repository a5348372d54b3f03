// Issue 14: a denied call and a call no rule matches say, in words, which rule (name and id) and
// which workspace (name and root) decided, not only UUIDs; a no-route also says that the default
// policy is deny and how to add a rule. The same words come back from a real tools/call on /mcp
// (the JSON-RPC error) and from POST /dry-run (`reason`), for two different rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, rpcError, type McpClient } from '../helpers/original-harness.js';

let t: TestGateway;
let client: McpClient;
let team: { id: string };
let proj: { id: string };
let blockWrites: { id: string };
let noNet: { id: string };

async function create(apiPath: string, body: Record<string, unknown>) {
  const res = await t.api('POST', apiPath, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

beforeAll(async () => {
  t = await startTestGateway();
  team = await create('/workspaces', { name: 'Team', root_path: '/msg/team' });
  proj = await create('/workspaces', { name: 'Project P', root_path: '/msg/team/proj', default_policy: 'deny' });
  blockWrites = await create('/routes', { workspace_id: proj.id, name: 'block-writes', tool_pattern: 'fs__write*', policy: 'deny' });
  noNet = await create('/routes', { workspace_id: team.id, name: 'no-net', tool_pattern: 'net__*', policy: 'deny', priority: 7 });
  // The client runs at the project's root: its chain is Project P → Team → Global.
  client = await connectClient(t, { dir: '/msg/team/proj' });
});
afterAll(async () => {
  await client?.close().catch(() => undefined);
  await t?.close();
});

const dryRun = async (tool: string) => (await t.api('POST', '/dry-run', { workspace_id: proj.id, tool_name: tool })).body;

describe('deny and no-route messages name the rule and the workspace', () => {
  it.each([
    ['fs__write_file', () => blockWrites.id, 'block-writes', 'workspace "Project P" (/msg/team/proj)', 'tool "fs__write*", priority 100'],
    ['net__fetch', () => noNet.id, 'no-net', 'workspace "Team" (/msg/team)', 'tool "net__*", priority 7'],
  ])('%s: denied by its rule, over MCP and in dry-run', async (tool, ruleId, ruleName, workspace, match) => {
    const expected = `denied by rule "${ruleName}" (id ${ruleId()}) in ${workspace}: it matches path "**", ${match}`;
    const error = await rpcError(client.client.callTool({ name: tool, arguments: {} }));
    expect(error.code).toBe(-32003);
    expect(error.message).toContain(`route denied by policy: rule ${ruleId()}`);
    expect(error.message).toContain(expected);
    const dry = await dryRun(tool);
    expect(dry).toMatchObject({ matched: true, policy: 'deny', matched_rule: { id: ruleId(), name: ruleName } });
    expect(dry.reason).toBe(expected);
  });

  it('no route: names the chain by name and root, says the default policy is deny, and how to add a rule', async () => {
    const error = await rpcError(client.client.callTool({ name: 'other__x', arguments: {} }));
    expect(error.code).toBe(-32003);
    const reason =
      'no rule in workspace "Project P" (/msg/team/proj) → workspace "Team" (/msg/team) → workspace "Global" (/) matches "other__x"; ' +
      'the default policy of workspace "Project P" (/msg/team/proj) is deny; to allow it, add a rule: ' +
      `POST /api/v1/routes {"workspace_id":"${proj.id}","tool_pattern":"other__x","policy":"allow"}, ` +
      `or PUT /api/v1/workspaces/${proj.id} {"default_policy":"allow"}`;
    expect(error.message).toContain(reason);
    expect((await dryRun('other__x')).reason).toBe(reason);
  });

  it('a renamed rule or workspace is named by its new name at once', async () => {
    expect((await t.api('PUT', `/routes/${noNet.id}`, { name: 'no-network' })).status).toBe(200);
    expect((await t.api('PUT', `/workspaces/${team.id}`, { name: 'Team T' })).status).toBe(200);
    const error = await rpcError(client.client.callTool({ name: 'net__get', arguments: {} }));
    expect(error.message).toContain(`denied by rule "no-network" (id ${noNet.id}) in workspace "Team T" (/msg/team)`);
  });
});
