/**
 * STAND-IN for E2's `GET /api/v1/visibility` while this branch's gateway has none (it answers 404):
 * the same answer shape (ISSUE16-CONTRACT.md), computed only from this gateway's real answers —
 * `GET /health`, `GET /downstreams` and one real `POST /dry-run` per tool for the folder — so the page
 * shows real errors, stderr and deciding rules. Used only when the real endpoint answers 404.
 */
import type { RestClient } from '../../../src/shared/rest-client.js';

type Server = {
  id: string;
  name: string;
  namespace: string;
  enabled: boolean;
  discovery: string;
  transport: string;
  tools: Array<{ name: string }>;
  discovered_at: string | null;
};
type Health = { downstreams: Array<{ server_id: string; state: string; last_error?: string; stderr_tail?: string[] }> };
type DryRun = { error_code?: string; matched_rule?: { id: string; name?: string; workspace_id: string } };

export async function visibilityFromRealAnswers(client: RestClient, folder: string): Promise<unknown> {
  const servers = ((await client.listDownstreams()) as Server[]).filter((s) => s.transport !== 'internal');
  const health = (await client.health()) as unknown as Health;
  const entries = [];
  for (const server of servers) {
    const h = health.downstreams.find((d) => d.server_id === server.id);
    const base = {
      server_id: server.id,
      name: server.name,
      namespace: server.namespace,
      state: server.enabled ? (h?.state ?? 'stopped') : 'disabled',
      tools_total: server.tools.length,
    };
    const hidden: string[] = [];
    let rule: DryRun['matched_rule'];
    for (const tool of server.tools) {
      const decision = (await client.dryRun({ workspace_id: folder, tool_name: `${server.namespace}__${tool.name}` })) as unknown as DryRun;
      if (decision.error_code) {
        hidden.push(`${server.namespace}__${tool.name}`);
        rule ??= decision.matched_rule;
      }
    }
    const visible = server.tools.length - hidden.length;
    if (!server.enabled) entries.push({ ...base, tools_visible: 0, reason: 'disabled', message: `"${server.name}" is disabled: enable it to list its tools.` });
    else if (h?.state === 'failed') {
      const [error, hint] = (h.last_error ?? 'failed').split(' — ');
      entries.push({
        ...base,
        tools_visible: 0,
        reason: 'failed',
        message: `"${server.name}" failed to start.`,
        error,
        ...(hint ? { hint } : {}),
        stderr_tail: h.stderr_tail ?? [],
      });
    } else if (server.discovery === 'dynamic')
      entries.push({
        ...base,
        tools_visible: 0,
        reason: 'dynamic',
        message: `"${server.name}" uses discovery: dynamic; clients reach its tools through mcpx__search_tools.`,
      });
    else if (server.tools.length === 0)
      entries.push({
        ...base,
        tools_visible: 0,
        reason: server.discovered_at ? 'no_tools' : 'not_started',
        message: server.discovered_at
          ? `"${server.name}" lists no tools.`
          : `"${server.name}" has not started yet: its tools are listed after the first call or Discover.`,
      });
    else if (visible === 0 && rule)
      entries.push({
        ...base,
        tools_visible: 0,
        reason: 'hidden_by_rule',
        message: `Every tool of "${server.name}" is refused for this folder by a rule.`,
        rule,
        hidden_tools: hidden,
      });
    else
      entries.push({
        ...base,
        tools_visible: visible,
        reason: 'visible',
        message: `${visible} of ${server.tools.length} tools visible.`,
        ...(hidden.length ? { hidden_tools: hidden } : {}),
      });
  }
  return { workspace_ids: ['proj'], servers: entries };
}
