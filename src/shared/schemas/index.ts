// STAND-IN (E3, issue 16): the few entity types the extension reads, as plain types; E1's zod
// schemas (moved from src/gateway/config/schemas/) replace this file at merge.
export interface Workspace {
  id: string;
  name: string;
  root_path: string;
  default_policy: 'allow' | 'deny';
  tags: Record<string, unknown> | unknown[];
  source: string;
  created_at: string;
  updated_at: string;
}
export interface WorkspaceCreate {
  id?: string;
  name: string;
  root_path: string;
  default_policy?: 'allow' | 'deny';
  tags?: Record<string, unknown> | unknown[];
  source?: 'vscode';
}
export type WorkspaceUpdate = Partial<Pick<WorkspaceCreate, 'name' | 'root_path' | 'default_policy' | 'tags'>>;
export interface DownstreamServer {
  id: string;
  name: string;
  namespace: string;
  discovery: 'static' | 'dynamic';
  [key: string]: unknown;
}
