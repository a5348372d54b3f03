import type { DownstreamServer, Workspace, WorkspaceCreate, WorkspaceUpdate } from './schemas/index.js';
import type { DrainResult, Visibility, WindowLease, WindowRegistration } from './schemas/daemon.js';
import { GatewayEventStream } from './sse.js';

/**
 * The typed REST client of the gateway's /api/v1, shared by the CLI, the extension and the
 * webviews. Uses only `fetch`: no Node or DOM specifics.
 */
export interface ApiErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; message: string }> };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface DownstreamHealth {
  server_id: string;
  name: string;
  namespace: string;
  state: string;
  last_error?: string;
  instances: Array<{ scope_id: string | null; state: string; pid?: number; in_flight: number }>;
}

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  uptime_seconds: number;
  data_dir: string;
  http_addr: string;
  config_error?: string;
  downstreams: DownstreamHealth[];
}

export interface DryRunResult {
  matched: boolean;
  policy: 'allow' | 'deny' | 'approve';
  reason: string;
  approval_required: boolean;
  workspace: { id: string; name: string; root_path: string };
  chain: Array<{ workspace_id: string; subpath: string }>;
  matched_rule?: { id: string; tool_pattern: string | string[]; path_glob: string; priority: number };
  downstream_server?: { id: string; name: string; namespace: string };
  candidate_rules: Array<{ id: string; evaluated_in: string; matched: boolean; decided: boolean; note: string }>;
  /** Set when the call would not reach a server: `denied`, `no_route`, `unknown_tool`. */
  error_code?: string;
}

export class RestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = parsed as ApiErrorBody | undefined;
      throw new ApiError(response.status, error, error?.error?.message ?? `HTTP ${response.status} from ${method} ${path}`);
    }
    return parsed as T;
  }

  health(): Promise<Health> {
    return this.request('GET', '/health');
  }

  /** Asks the gateway to stop; it answers 202 and releases its lock once stopped. */
  shutdown(): Promise<{ status: 'stopping'; pid: number }> {
    return this.request('POST', '/shutdown', {});
  }

  dryRun(workspaceId: string, toolName: string, subpath?: string): Promise<DryRunResult> {
    return this.request('POST', '/dry-run', { workspace_id: workspaceId, tool_name: toolName, ...(subpath ? { subpath } : {}) });
  }

  // STAND-IN (E3, issue 16): the methods the extension calls, at the contract's names; E1's client replaces them at merge.
  listWorkspaces(): Promise<Workspace[]> {
    return this.request('GET', '/workspaces');
  }

  createWorkspace(body: WorkspaceCreate): Promise<Workspace> {
    return this.request('POST', '/workspaces', body);
  }

  updateWorkspace(ref: string, body: WorkspaceUpdate): Promise<Workspace> {
    return this.request('PUT', `/workspaces/${encodeURIComponent(ref)}`, body);
  }

  listDownstreams(): Promise<DownstreamServer[]> {
    return this.request('GET', '/downstreams');
  }

  updateDownstream(ref: string, body: Partial<DownstreamServer>): Promise<DownstreamServer> {
    return this.request('PUT', `/downstreams/${encodeURIComponent(ref)}`, body);
  }

  registerWindow(body: WindowRegistration): Promise<WindowLease> {
    return this.request('POST', '/windows', body);
  }

  renewWindowLease(windowId: string): Promise<WindowLease> {
    return this.request('PUT', `/windows/${encodeURIComponent(windowId)}/lease`, {});
  }

  unregisterWindow(windowId: string): Promise<void> {
    return this.request('DELETE', `/windows/${encodeURIComponent(windowId)}`);
  }

  drain(): Promise<DrainResult> {
    return this.request('POST', '/drain', {});
  }

  visibility(query: { dir: string[]; servers?: string[] }): Promise<Visibility> {
    const params = new URLSearchParams();
    for (const dir of query.dir) params.append('dir', dir);
    if (query.servers?.length) params.set('servers', query.servers.join(','));
    return this.request('GET', `/visibility?${params.toString()}`);
  }

  events(): GatewayEventStream {
    return new GatewayEventStream(`${this.baseUrl}/api/v1/events`, this.token, this.fetchImpl);
  }
}
