import { statSync } from 'node:fs';
import type { Warning, WorkspaceView } from '../../../shared/api.js';
import { conflict } from '../../errors.js';
import { parseBody } from '../parse.js';
import { GLOBAL_WORKSPACE_ID, workspaceCreateSchema, workspaceUpdateSchema, type Source, type Workspace } from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { effectiveSettings } from '../settings.js';
import { dependantsConflict, mergePatch, refuseNameIdClash, refuseYamlManaged, stamp, withId, type ServiceOptions } from './common.js';

const WORKSPACE_KEYS = (w: Workspace): Array<[string, string | undefined]> => [['name', w.name]];
import { resolveWorkspace } from './resolve.js';
import { withoutReadOnly, writableFields } from './read-only.js';

const WRITABLE = writableFields(workspaceUpdateSchema);

// A workspace as create and update answer it (the stored fields, plus `warnings` when there are any): the wire type.
export type { Warning, WorkspaceView };

/**
 * Workspaces: folder trees with their default policy. `global` (root "/") is seeded and kept.
 * Every `ref` is an id, a name or a root path (see `resolveWorkspace`).
 */
export class WorkspaceService {
  constructor(
    private readonly store: ConfigStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly options: ServiceOptions = {},
  ) {}

  list(): Workspace[] {
    return this.store.state.workspaces.map((w) => this.present(w));
  }

  /** @throws GatewayError `not_found`, or `conflict` for an ambiguous name. */
  get(ref: string): Workspace {
    return this.present(resolveWorkspace(this.store.state.workspaces, ref));
  }

  async create(body: unknown, source: Source = 'api'): Promise<WorkspaceView> {
    const input = parseBody(workspaceCreateSchema, body);
    const created = await this.store.update((draft) => {
      // A REST client may say it is the extension (`source: "vscode"`); the YAML import's stays `yaml`.
      const workspace: Workspace = { ...withId(input), ...stamp(source === 'api' ? (input.source ?? source) : source) };
      refuseNameIdClash(draft.workspaces, workspace, WORKSPACE_KEYS, 'workspace');
      draft.workspaces.push(workspace);
      return workspace;
    });
    return withWarnings(this.present(created));
  }

  async update(ref: string, body: unknown): Promise<WorkspaceView> {
    // What create and update answer too (with `warnings`), so either answer can be sent back.
    const patch = parseBody(
      workspaceUpdateSchema,
      withoutReadOnly(body, WRITABLE, () => withWarnings(this.get(ref))),
    );
    const updated = await this.store.update((draft) => {
      const workspace = resolveWorkspace(draft.workspaces, ref);
      refuseYamlManaged(workspace, 'workspace', this.options);
      if (workspace.id === GLOBAL_WORKSPACE_ID) {
        if (patch.root_path !== undefined && patch.root_path !== '/') throw conflict('the global workspace\'s root_path is always "/"');
        // The global workspace's default policy is the `default_policy` setting.
        if (patch.default_policy !== undefined) draft.settings.default_policy = patch.default_policy;
      }
      mergePatch(workspace, { ...patch, updated_at: new Date().toISOString() });
      if (patch.name !== undefined) refuseNameIdClash(draft.workspaces, workspace, WORKSPACE_KEYS, 'workspace');
      return workspace;
    });
    return withWarnings(this.present(updated));
  }

  async remove(ref: string, cascade: boolean): Promise<void> {
    await this.store.update((draft) => {
      const workspace = resolveWorkspace(draft.workspaces, ref);
      const id = workspace.id;
      refuseYamlManaged(workspace, 'workspace', this.options);
      if (id === GLOBAL_WORKSPACE_ID) throw conflict('the global workspace cannot be deleted');
      const routes = draft.routes.filter((r) => r.workspace_id === id);
      if (routes.length > 0 && !cascade)
        dependantsConflict(
          'workspace',
          id,
          routes.map((r) => `route ${r.id}`),
        );
      for (const route of routes) refuseYamlManaged(route, 'route rule', this.options);
      draft.routes = draft.routes.filter((r) => r.workspace_id !== id);
      draft.workspaces = draft.workspaces.filter((w) => w.id !== id);
    });
  }

  private present(workspace: Workspace): Workspace {
    if (workspace.id !== GLOBAL_WORKSPACE_ID) return workspace;
    return { ...workspace, default_policy: effectiveSettings(this.store.state.settings, this.env).settings.default_policy };
  }
}

/**
 * Why a stored workspace may not do what its user expects, checked against this machine: a
 * `root_path` that does not exist (or is not a directory) never contains a client's directory.
 */
export function workspaceWarnings(workspace: Pick<Workspace, 'root_path'>): Warning[] {
  const missing = [
    { path: 'root_path', message: `"${workspace.root_path}" does not exist on this machine; calls from inside it will not match until it does` },
  ];
  let stats;
  try {
    stats = statSync(workspace.root_path, { throwIfNoEntry: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    // ENOTDIR: a file stands where a parent folder should be, so the path cannot exist.
    if (code === 'ENOTDIR') return missing;
    return [{ path: 'root_path', message: `"${workspace.root_path}" cannot be checked on this machine (${code}); calls from inside it may not match` }];
  }
  if (!stats) return missing;
  if (!stats.isDirectory())
    return [{ path: 'root_path', message: `"${workspace.root_path}" is not a directory; calls are matched by the directory a client runs in` }];
  return [];
}

function withWarnings(workspace: Workspace): WorkspaceView {
  const warnings = workspaceWarnings(workspace);
  return warnings.length > 0 ? { ...workspace, warnings } : workspace;
}
