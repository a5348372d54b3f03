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

  // STAND-IN (hx-views): the contract's `code`/`details`; E1's ApiError replaces this class.
  get code(): string | undefined {
    return this.body?.error?.code;
  }

  get details(): Array<{ path: string; message: string }> {
    return this.body?.error?.details ?? [];
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

  dryRun(body: { workspace_id: string; tool_name: string; subpath?: string }): Promise<DryRunResult> {
    return this.request('POST', '/dry-run', body);
  }

  // STAND-IN (hx-views): the contract's methods the views call, untyped answers (the views validate
  // them with their own zod schemas). E1's RestClient replaces all of these at merge.
  listWorkspaces(): Promise<unknown[]> {
    return this.request('GET', '/workspaces');
  }
  listDownstreams(): Promise<unknown[]> {
    return this.request('GET', '/downstreams');
  }
  createDownstream(body: unknown): Promise<unknown> {
    return this.request('POST', '/downstreams', body);
  }
  updateDownstream(ref: string, body: unknown): Promise<unknown> {
    return this.request('PUT', `/downstreams/${encodeURIComponent(ref)}`, body);
  }
  deleteDownstream(ref: string, options: { cascade?: boolean } = {}): Promise<void> {
    return this.request('DELETE', `/downstreams/${encodeURIComponent(ref)}${options.cascade ? '?cascade=true' : ''}`);
  }
  discoverDownstream(ref: string): Promise<unknown> {
    return this.request('POST', `/downstreams/${encodeURIComponent(ref)}/discover`, {});
  }
  restartDownstream(ref: string): Promise<unknown> {
    return this.request('POST', `/downstreams/${encodeURIComponent(ref)}/restart`, {});
  }
  visibility(query: { dir: readonly string[]; servers?: readonly string[] }): Promise<unknown> {
    const params = new URLSearchParams(query.dir.map((dir): [string, string] => ['dir', dir]));
    if (query.servers?.length) params.set('servers', query.servers.join(','));
    return this.request('GET', `/visibility?${params}`);
  }
  listRoutes(): Promise<unknown[]> {
    return this.request('GET', '/routes');
  }
  createRoute(body: unknown): Promise<unknown> {
    return this.request('POST', '/routes', body);
  }
  updateRoute(ref: string, body: unknown): Promise<unknown> {
    return this.request('PUT', `/routes/${encodeURIComponent(ref)}`, body);
  }
  deleteRoute(ref: string): Promise<void> {
    return this.request('DELETE', `/routes/${encodeURIComponent(ref)}`);
  }
}
