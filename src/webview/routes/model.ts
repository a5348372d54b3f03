/**
 * The Routes view model, from the gateway's answers only: per folder, its chain (folder → … →
 * `global`) with every rule in the order dry-run evaluated it; and a dry-run's decision per folder
 * with the strictest one named for multi-root windows (deny beats approve beats allow, as the gateway
 * decides a call that carries several folders). Pure, so it is tested without a DOM.
 */
import type { CandidateRule, DryRunAnswer, WorkspaceAnswer } from '../../shared/webviews/answers.js';
import { ruleName } from '../../shared/webviews/entity-names.js';
import type { FolderAnswer, RoutesScope, RoutesSnapshot } from '../../shared/webviews/routes-protocol.js';

export interface RuleRow {
  /** 1-based position in the folder's evaluation order (the chain's rules, first match wins). */
  order: number;
  id: string;
  /** The rule's name, empty without one (the pattern is on the row already). */
  label: string;
  /** How prompts and headings name it: its name, else its pattern (and path) in its workspace. */
  title: string;
  pattern: string;
  path_glob: string;
  policy: 'allow' | 'deny' | 'approve';
  approval_mode: string;
  priority: number;
  server?: string;
  /** Built-in (`default`) and YAML rules are not edited here. */
  readOnly: boolean;
  rule: CandidateRule;
}

export interface LinkSection {
  workspaceId: string;
  workspaceName: string;
  rootPath?: string;
  subpath: string;
  defaultPolicy?: string;
  rules: RuleRow[];
}

export interface FolderSection {
  folder: string;
  label: string;
  workspaceId?: string;
  error?: string;
  links: LinkSection[];
  /** What decides when no rule matches: the folder's own workspace's default policy. */
  fallback?: string;
}

export function folderLabel(folder: string): string {
  if (folder === '') return 'No folder open (global rules)';
  const parts = folder.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? folder;
}

export function patternText(pattern: string | string[]): string {
  return Array.isArray(pattern) ? pattern.join(', ') : pattern;
}

function folderSection({ folder, label: named, answer }: FolderAnswer, workspaces: Map<string, WorkspaceAnswer>, servers: Map<string, string>): FolderSection {
  const label = named ?? folderLabel(folder);
  if (!answer.ok) return { folder, label, error: answer.error.message, links: [] };
  const probe = answer.value;
  let order = 0;
  const links = probe.chain.map((link): LinkSection => {
    const workspace = workspaces.get(link.workspace_id);
    return {
      workspaceId: link.workspace_id,
      workspaceName: workspace?.name ?? link.workspace_id,
      ...(workspace ? { rootPath: workspace.root_path, defaultPolicy: workspace.default_policy } : {}),
      subpath: link.subpath,
      // candidate_rules is already in evaluation order; grouping keeps it.
      rules: probe.candidate_rules
        .filter((c) => c.evaluated_in === link.workspace_id)
        .map((c) => ({
          order: ++order,
          id: c.id,
          label: c.name ?? '',
          title: ruleName(c, workspace?.name ?? link.workspace_id),
          pattern: patternText(c.tool_pattern),
          path_glob: c.path_glob,
          policy: c.policy,
          approval_mode: c.approval_mode,
          priority: c.priority,
          ...(c.server_id ? { server: servers.get(c.server_id) ?? c.server_id } : {}),
          readOnly: c.source === 'default' || c.source === 'yaml',
          rule: c,
        })),
    };
  });
  return {
    folder,
    label,
    workspaceId: probe.workspace.id,
    links,
    fallback: `No rule matches → the default policy of workspace “${probe.workspace.name}”: ${probe.workspace.default_policy}`,
  };
}

export function buildRoutesModel(snapshot: RoutesSnapshot): { folders: FolderSection[]; multiRoot: boolean } {
  const workspaces = new Map(snapshot.workspaces.map((w) => [w.id, w]));
  const servers = new Map(snapshot.servers.map((s) => [s.id, s.name]));
  // Several workspaces in the browser are not one call's folders: no strictest-folder note there.
  return {
    folders: snapshot.folders.map((f) => folderSection(f, workspaces, servers)),
    multiRoot: snapshot.scope !== 'gateway' && snapshot.folders.length > 1,
  };
}

/** What a call gets: through, through after approval, or refused (denied, no route, unknown tool). */
export type Outcome = 'allow' | 'approve' | 'blocked';
const STRICTNESS: Record<Outcome, number> = { allow: 0, approve: 1, blocked: 2 };

export function outcomeOf(answer: Pick<DryRunAnswer, 'error_code' | 'approval_required'>): Outcome {
  if (answer.error_code) return 'blocked';
  return answer.approval_required ? 'approve' : 'allow';
}

export interface DecisionRow {
  folder: string;
  label: string;
  error?: string;
  answer?: DryRunAnswer;
  outcome?: Outcome;
  /** The chain's rules as evaluated, named as people name them (never by id), with the workspace's name. */
  candidates?: Array<{ name: string; workspace: string; note: string; state: 'decided' | 'matched' | 'skipped' }>;
}

export interface DryRunModel {
  rows: DecisionRow[];
  /** Multi-root: the folder whose decision holds for a call that carries every folder. */
  strictest?: { folder: string; label: string; outcome: Outcome };
}

/**
 * @param scope `gateway` (the browser: each workspace on its own) has no strictest row; a window's
 *   folders travel together on each call, so the strictest of them decides
 */
export function buildDryRunModel(folders: readonly FolderAnswer[], scope: RoutesScope = 'window', workspaces: readonly WorkspaceAnswer[] = []): DryRunModel {
  const workspaceNames = new Map(workspaces.map((w) => [w.id, w.name]));
  const rows = folders.map(({ folder, label: named, answer }): DecisionRow => {
    const label = named ?? folderLabel(folder);
    if (!answer.ok) return { folder, label, error: answer.error.message };
    const candidates = answer.value.candidate_rules.map((c) => ({
      name: ruleName(c),
      workspace: workspaceNames.get(c.evaluated_in) ?? (c.evaluated_in === answer.value.workspace.id ? answer.value.workspace.name : c.evaluated_in),
      note: c.note,
      state: c.decided ? ('decided' as const) : c.matched ? ('matched' as const) : ('skipped' as const),
    }));
    return { folder, label, answer: answer.value, outcome: outcomeOf(answer.value), candidates };
  });
  if (rows.length < 2 || scope === 'gateway') return { rows };
  let strictest: DryRunModel['strictest'];
  for (const row of rows) {
    if (!row.outcome) continue;
    if (!strictest || STRICTNESS[row.outcome] > STRICTNESS[strictest.outcome]) strictest = { folder: row.folder, label: row.label, outcome: row.outcome };
  }
  return { rows, ...(strictest ? { strictest } : {}) };
}

/** The dry-run box: what is typed, and the last answer with what was asked for it. */
export interface DryRunBox {
  tool: string;
  subpath: string;
  answer?: FolderAnswer[];
  scope?: RoutesScope;
  askedTool?: string;
  askedSubpath?: string;
  error?: string;
}

/**
 * Run pressed: the request to make, or the box with the reason there is none. An empty tool name
 * clears the previous answer (it was for another tool; shown under "Enter a tool name" it read as
 * this one's).
 */
export function dryRunRequest(box: DryRunBox): { ok: true; tool_name: string; subpath?: string } | { ok: false; box: DryRunBox } {
  const tool = box.tool.trim();
  if (!tool) {
    return { ok: false, box: { tool: box.tool, subpath: box.subpath, error: 'Enter a tool name (namespace__tool).' } };
  }
  const subpath = box.subpath.trim();
  return { ok: true, tool_name: tool, ...(subpath ? { subpath } : {}) };
}

/** Whether the answer shown is for something else than the box now holds (it is marked, not passed off as current). */
export function dryRunStale(box: DryRunBox): boolean {
  if (box.askedTool === undefined || !box.answer) return false;
  return box.tool.trim() !== box.askedTool || box.subpath.trim() !== (box.askedSubpath ?? '');
}
