import type { ApprovalStore } from './approvals/index.js';
import type { CallRecordSink } from './calls/index.js';
import type { ConfigStore } from './config/index.js';
import type { Logger, LogLevel } from './log.js';

/** What `startGateway` takes (the composition root's options; tests set the hooks). */
export interface GatewayOptions {
  /** The data dir (config.json, api-token, secret.key, gateway.lock); made private at start. */
  dataDir: string;
  /** Listen address; default `127.0.0.1`. */
  host?: string;
  /** TCP port; default 8080 (`DEFAULT_PORT`); 0 picks a free one. */
  port?: number;
  /** Default: JSON lines on stderr at `logLevel`, else the `log_level` setting. */
  logger?: Logger;
  logLevel?: LogLevel;
  /** The environment settings and `${VAR}` expansion read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** What health reports as `mode`; default `daemon`. */
  mode?: string;
  /** YAML file seeding servers, workspaces and routes (items marked `source: yaml`). */
  configFile?: string;
  /** Take `gateway.lock` (the daemon does; embedded test gateways may not need to). */
  lock?: boolean;
  /** How long to wait for a live lock holder that does not answer before taking over (ms; default `STARTING_GRACE_MS`, 20 s). */
  lockGraceMs?: number;
  /**
   * When `port` is taken, try the next ones. Default: only when `port` is not given (another
   * program on the default 8080 is normal); a port the user chose that is taken is an error.
   */
  portFallback?: boolean;
  /** What `POST /api/v1/shutdown` does (the daemon stops and exits); default: `stop()`. */
  onStopRequest?: () => void;
  /** Called with the gateway's URL once it listens and answers, before its start resolves (that waits for the audit trail to open). */
  onListening?: (url: string) => void;
  /** Another sink for the pipeline's settled call records, next to the metrics (tests); default none. */
  callRecords?: CallRecordSink;
  /** Where approval records live; default in memory (tests pass one store to two starts to see a restart). */
  approvalStore?: ApprovalStore;
  /**
   * `serve --exit-when-idle <minutes>`: stop (as `onStopRequest`) after this long with no window
   * lease, MCP session or call; fractions allowed (tests use seconds). Default: never.
   */
  exitWhenIdleMinutes?: number;
  /** A window's lease in seconds; default 60, or env `MCPLEXER_WINDOW_LEASE_SEC` (tests). */
  windowLeaseSec?: number;
  /** Interval of the event stream's `: ping`, ms; default 15 s (tests). */
  eventPingMs?: number;
  /**
   * The browser dashboard at `/`: the built bundles (default `webview/` beside the running bundle,
   * i.e. dist/webview) and how long a one-time code lasts, ms (default 60 s; tests shorten it).
   */
  ui?: { webviewDir?: string; codeTtlMs?: number };
}

export interface RunningGateway {
  /** `http://host:port`, the port it really listens on. */
  url: string;
  port: number;
  /** The API token (`Authorization: Bearer …` on /api/v1 and /mcp). */
  token: string;
  dataDir: string;
  store: ConfigStore;
  /** Closes sessions, stops every downstream (process trees included), frees the port and the lock; idempotent. */
  stop(): Promise<void>;
}
