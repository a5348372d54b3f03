import { conflict } from '../../errors.js';
import { parseBody } from '../parse.js';
import { GLOBAL_WORKSPACE_ID, workspaceCreateSchema, workspaceUpdateSchema, type Source, type Workspace } from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { effectiveSettings } from '../settings.js';
import { dependantsConflict, findOrThrow, indexOrThrow, mergePatch, stamp, withId } from './common.js';

/** Workspaces: folder trees with their default policy. `global` (root "/") is seeded and kept. */
export class WorkspaceService {
  constructor(
    private readonly store: ConfigStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  list(): Workspace[] {
    return this.store.state.workspaces.map((w) => this.present(w));
  }

  get(id: string): Workspace {
    return this.present(findOrThrow(this.store.state.workspaces, id, 'workspace'));
  }

  async create(body: unknown, source: Source = 'api'): Promise<Workspace> {
    const input = parseBody(workspaceCreateSchema, body);
    const created = await this.store.update((draft) => {
      const workspace: Workspace = { ...withId(input), ...stamp(source) };
      draft.workspaces.push(workspace);
      return workspace;
    });
    return this.present(created);
  }

  async update(id: string, body: unknown): Promise<Workspace> {
    const patch = parseBody(workspaceUpdateSchema, body);
    const updated = await this.store.update((draft) => {
      const workspace = findOrThrow(draft.workspaces, id, 'workspace');
      if (id === GLOBAL_WORKSPACE_ID) {
        if (patch.root_path !== undefined && patch.root_path !== '/') throw conflict('the global workspace\'s root_path is always "/"');
        // The global workspace's default policy is the `default_policy` setting.
        if (patch.default_policy !== undefined) draft.settings.default_policy = patch.default_policy;
      }
      mergePatch(workspace, { ...patch, updated_at: new Date().toISOString() });
      return workspace;
    });
    return this.present(updated);
  }

  async remove(id: string, cascade: boolean): Promise<void> {
    await this.store.update((draft) => {
      indexOrThrow(draft.workspaces, id, 'workspace');
      if (id === GLOBAL_WORKSPACE_ID) throw conflict('the global workspace cannot be deleted');
      const routes = draft.routes.filter((r) => r.workspace_id === id);
      if (routes.length > 0 && !cascade)
        dependantsConflict(
          'workspace',
          id,
          routes.map((r) => `route ${r.id}`),
        );
      draft.routes = draft.routes.filter((r) => r.workspace_id !== id);
      draft.workspaces = draft.workspaces.filter((w) => w.id !== id);
    });
  }

  private present(workspace: Workspace): Workspace {
    if (workspace.id !== GLOBAL_WORKSPACE_ID) return workspace;
    return { ...workspace, default_policy: effectiveSettings(this.store.state.settings, this.env).settings.default_policy };
  }
}
