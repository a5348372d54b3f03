/**
 * How the views name what a record or a prompt refers to (a server, a route rule, a workspace):
 * by what the user typed or sees, never by a UUID. Servers and rules added from the views get UUID
 * ids, so an id alone reads as noise ("Server e324c920-…" on an approval card, "Delete rule
 * ea3e2030-…?"). The host looks the names up (`GET /downstreams`, `/routes`, `/workspaces`) and
 * sends this table; an id it does not hold is an entity deleted since: the id, marked "(deleted)".
 */
import { z } from 'zod';

/** Display names by id, per kind (a rule's is `ruleName`'s). */
export const entityNamesSchema = z.object({
  servers: z.record(z.string(), z.string()),
  rules: z.record(z.string(), z.string()),
  workspaces: z.record(z.string(), z.string()),
});
export type EntityNames = z.infer<typeof entityNamesSchema>;
export type EntityKind = keyof EntityNames;

/** What a rule is named by: its `name`, else what it matches. */
export interface NameableRule {
  name?: string;
  tool_pattern: string | readonly string[];
  path_glob: string;
  workspace_id: string;
}

/**
 * A rule as a person recognises it: its name (`"block writes"`), else its pattern with the path
 * when it narrows (`everything__echo`, `fs__write_* (path src/**)`), and the workspace by name when
 * one is given (`… in workspace “App”`).
 *
 * @param workspaceName the workspace's name; omitted where the place is already shown
 */
export function ruleName(rule: NameableRule, workspaceName?: string): string {
  if (rule.name && rule.name.trim() !== '') return `“${rule.name}”`;
  const pattern = typeof rule.tool_pattern === 'string' ? rule.tool_pattern : rule.tool_pattern.join(', ');
  const path = rule.path_glob && rule.path_glob !== '**' ? ` (path ${rule.path_glob})` : '';
  const where = workspaceName ? ` in workspace “${workspaceName}”` : '';
  return `${pattern}${path}${where}`;
}

/**
 * The name of entity `id`: its name from `names`; the id with "(deleted)" when the table (read
 * after the record was made) no longer holds it; the id alone while no table has arrived; `—` for
 * no entity.
 */
export function entityName(names: EntityNames | undefined, kind: EntityKind, id: string | null | undefined): string {
  if (id === null || id === undefined || id === '') return '—';
  if (!names) return id;
  return names[kind][id] ?? `${id} (deleted)`;
}

/** The REST reads the table is built from (a `RestClient`, or a test's double). */
export interface NamesClient {
  listDownstreams(): Promise<unknown>;
  listRoutes(): Promise<unknown>;
  listWorkspaces(): Promise<unknown>;
}

type Listed = Array<{ id: string; name?: string }>;

/**
 * Reads the three lists and builds the table. A rule is named with its workspace (`ruleName`).
 *
 * @throws whatever the client throws for an unreachable gateway (the caller's request fails)
 */
export async function fetchEntityNames(client: NamesClient): Promise<EntityNames> {
  const [servers, rules, workspaces] = (await Promise.all([client.listDownstreams(), client.listRoutes(), client.listWorkspaces()])) as [
    Listed,
    Array<NameableRule & { id: string }>,
    Listed,
  ];
  const workspaceNames = Object.fromEntries(workspaces.map((w) => [w.id, w.name ?? w.id]));
  return {
    servers: Object.fromEntries(servers.map((s) => [s.id, s.name ?? s.id])),
    rules: Object.fromEntries(rules.map((r) => [r.id, ruleName(r, workspaceNames[r.workspace_id] ?? r.workspace_id)])),
    workspaces: workspaceNames,
  };
}
