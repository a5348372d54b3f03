import type * as vscode from 'vscode';
import { ApiError, type RestClient } from '../shared/rest-client.js';
import type { WorkspaceCreateInput } from '../shared/schemas/index.js';
import type { DefaultPolicy, FolderAction } from './folder-mapping.js';
import { planFolderChange, planFolders, planRenames, type FolderRef } from './folder-mapping.js';

/**
 * Carries out folder-mapping.ts's plans through the REST client. Another window may create the
 * same folder's workspace at the same moment: a 409 on create is that race, and the next plan
 * matches the workspace the other window made.
 */
export class WorkspaceSync {
  private sourceRefused = false;

  constructor(
    private readonly client: () => RestClient | undefined,
    private readonly defaultPolicy: () => DefaultPolicy,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Every folder of the window has its workspace (matched or created). Returns the plan carried out. */
  async syncFolders(folders: readonly string[]): Promise<FolderAction[]> {
    const client = this.client();
    if (!client) return [];
    return this.apply(client, planFolders(folders, await client.listWorkspaces(), this.defaultPolicy()));
  }

  async folderChange(change: { added: readonly FolderRef[]; removed: readonly FolderRef[] }): Promise<FolderAction[]> {
    const client = this.client();
    if (!client) return [];
    return this.apply(client, planFolderChange(change, await client.listWorkspaces(), this.defaultPolicy()));
  }

  async renames(renames: ReadonlyArray<{ from: string; to: string }>): Promise<FolderAction[]> {
    const client = this.client();
    if (!client) return [];
    return this.apply(client, planRenames(renames, await client.listWorkspaces()));
  }

  private async apply(client: RestClient, actions: FolderAction[]): Promise<FolderAction[]> {
    for (const action of actions) {
      try {
        if (action.kind === 'create') await this.create(client, action.body);
        else if (action.kind === 'move') {
          await client.updateWorkspace(action.workspaceId, { root_path: action.rootPath });
          this.log.info(`workspace ${action.workspaceId} follows its folder: ${action.from} → ${action.rootPath}`);
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          this.log.info(`folder ${action.folder}: ${error.message} (another window was first)`);
          continue;
        }
        this.log.error(`folder ${action.folder}: ${(error as Error).message}`);
      }
    }
    return actions;
  }

  private async create(client: RestClient, body: WorkspaceCreateInput): Promise<void> {
    try {
      await client.createWorkspace(this.sourceRefused ? { ...body, source: undefined } : body);
    } catch (error) {
      // A daemon from before issue 16 has no `source: "vscode"`: the workspace is still made, marked `api`.
      const refusesSource = error instanceof ApiError && error.status === 400 && error.body?.error.details?.some((d) => d.path === 'source');
      if (!refusesSource || this.sourceRefused) throw error;
      this.sourceRefused = true;
      this.log.warn('this gateway does not accept source "vscode" on workspaces (it is older than the extension); creating without it');
      await client.createWorkspace({ ...body, source: undefined });
    }
    this.log.info(`workspace "${body.name}" created for ${body.root_path} (default policy ${body.default_policy})`);
  }
}
