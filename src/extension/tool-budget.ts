/**
 * The Copilot tool budget, as pure logic. Copilot accepts at most 128 tools per request
 * (`mcplexer.copilot.toolBudget`), so the definition this window gives VS Code must never list
 * more. Counts come from the gateway's `/visibility` answer for the window's folders: each
 * server's `tools_visible`. Over budget, the user may switch the largest servers to
 * `discovery: dynamic` (their tools are then reached through `mcpx__search_tools`) or keep a
 * per-window set of servers (sent as `X-MCPlexer-Servers`); until they choose, a default set that
 * fits is used.
 */
export interface BudgetServer {
  server_id: string;
  name: string;
  namespace: string;
  tools_visible: number;
  reason: string;
}

/** The built-in server (`mcpx__search_tools` and friends): always in a window set. */
export const BUILTIN_SERVER_ID = 'mcpx-builtin';

export function visibleTotal(servers: readonly BudgetServer[]): number {
  return servers.reduce((sum, s) => sum + Math.max(0, s.tools_visible), 0);
}

/**
 * Option (a): the largest servers (by visible tools; ties by name) to switch to `discovery:
 * dynamic` so the rest fit the budget. Never the built-in server nor one already dynamic. Empty
 * when the total already fits.
 */
export function planDynamic(servers: readonly BudgetServer[], budget: number): BudgetServer[] {
  let total = visibleTotal(servers);
  const chosen: BudgetServer[] = [];
  const candidates = servers
    .filter((s) => s.server_id !== BUILTIN_SERVER_ID && s.reason !== 'dynamic' && s.tools_visible > 0)
    .sort((a, b) => b.tools_visible - a.tools_visible || a.name.localeCompare(b.name));
  for (const server of candidates) {
    if (total <= budget) break;
    chosen.push(server);
    total -= server.tools_visible;
  }
  return chosen;
}

export interface WindowSet {
  /** Server ids to send in `X-MCPlexer-Servers` (the built-in first). */
  ids: string[];
  /** Tools the definition lists with that set. */
  total: number;
  /** Servers with visible tools left out (they did not fit, or were not chosen). */
  leftOut: BudgetServer[];
}

/**
 * Option (b): the servers of `wanted` (in that order; default: every server in the gateway's
 * order) that fit the budget together, the built-in server always first. A server that does not
 * fit is left out and the next ones are still tried, so small servers are not lost behind a big one.
 */
export function fitWindowSet(servers: readonly BudgetServer[], budget: number, wanted?: readonly string[]): WindowSet {
  const byId = new Map(servers.map((s) => [s.server_id, s]));
  const order = (wanted ?? servers.map((s) => s.server_id)).filter((id) => byId.has(id) && id !== BUILTIN_SERVER_ID);
  const builtin = byId.get(BUILTIN_SERVER_ID);
  const ids = builtin ? [BUILTIN_SERVER_ID] : [];
  let total = builtin ? Math.max(0, builtin.tools_visible) : 0;
  for (const id of order) {
    const tools = Math.max(0, byId.get(id)!.tools_visible);
    if (total + tools > budget) continue;
    ids.push(id);
    total += tools;
  }
  const kept = new Set(ids);
  const leftOut = servers.filter((s) => !kept.has(s.server_id) && s.tools_visible > 0);
  return { ids, total, leftOut };
}

export interface BudgetDecision {
  /** What the window would see with no window set. */
  total: number;
  over: boolean;
  /** The `X-MCPlexer-Servers` value, when the window needs one. */
  serversHeader?: string;
  /** Tools the definition lists. */
  listed: number;
  leftOut: BudgetServer[];
}

/**
 * What the definition sends: nothing extra when the window's tools fit and the user chose no set;
 * the user's set (trimmed to fit) when they chose one; else the default set that fits.
 */
export function decideBudget(servers: readonly BudgetServer[], budget: number, chosen?: readonly string[]): BudgetDecision {
  const total = visibleTotal(servers);
  const over = total > budget;
  if (!over && !chosen) return { total, over, listed: total, leftOut: [] };
  const set = fitWindowSet(servers, budget, chosen);
  return { total, over, serversHeader: set.ids.join(','), listed: set.total, leftOut: set.leftOut };
}
