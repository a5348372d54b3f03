/**
 * A real gateway for integration tests: a fresh temp MCPLEXER_HOME, a free port on 127.0.0.1,
 * the shared typed `RestClient` with the token (`client`) and a raw `api()` through the same
 * client, the real `config.json` read from disk, and cleanup. Nothing is mocked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGateway, type RunningGateway } from '../../src/gateway/index.js';
import type { ApprovalStore } from '../../src/gateway/approvals/index.js';
import type { CallRecordSink } from '../../src/gateway/calls/index.js';
import type { ConfigState } from '../../src/gateway/config/index.js';
import { createLogger } from '../../src/gateway/log.js';
import { RestClient, type RawResponse } from '../../src/shared/rest-client.js';
import type { ApiErrorBody } from '../../src/shared/api.js';

export type ApiResponse<T = any> = RawResponse<T>;

export type ErrorBody = ApiErrorBody;

export interface StartOptions {
  /** The gateway's environment (defaults to none, so the developer's MCPLEXER_* never leak in). */
  env?: NodeJS.ProcessEnv;
  /** Reuse an existing home (a restart); otherwise a fresh temp dir. */
  home?: string;
  /** Take `gateway.lock` in the home, as the daemon does (so `mcplexer connect` finds this gateway). */
  lock?: boolean;
  /** Where the call pipeline's settled records go (`RecordingSink` in helpers/call-records.ts). */
  callRecords?: CallRecordSink;
  /** Where approval records live (one store handed to two starts stands for a database across a restart). */
  approvalStore?: ApprovalStore;
  /** The browser dashboard's options; default: the repository's built dist/webview (`npm test` builds it first). */
  ui?: { webviewDir?: string; codeTtlMs?: number };
}

export interface TestGateway {
  gw: RunningGateway;
  home: string;
  url: string;
  token: string;
  /** Log lines the gateway wrote (JSON objects), for asserting what it reported. */
  logs: Array<Record<string, unknown>>;
  /** The shared typed client of this gateway (what the CLI and the extension use). */
  client: RestClient;
  /**
   * Calls `/api/v1<path>` with the token. An object body is sent as JSON, a string as is.
   * A header set to `null` is left out (e.g. `{authorization: null}`).
   */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string | null>): Promise<ApiResponse<T>>;
  configPath: string;
  readConfig(): ConfigState;
  configText(): string;
  /** Stops the gateway (the home stays). */
  stop(): Promise<void>;
  /** Stops the gateway and deletes its home. */
  close(): Promise<void>;
}

export async function startTestGateway(options: StartOptions = {}): Promise<TestGateway> {
  const home = options.home ?? mkdtempSync(path.join(tmpdir(), 'mcplexer-it-'));
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', (line) => void logs.push(JSON.parse(line)));
  const gw = await startGateway({
    dataDir: home,
    port: 0,
    lock: options.lock ?? false,
    logger,
    env: options.env ?? {},
    callRecords: options.callRecords,
    approvalStore: options.approvalStore,
    ui: { webviewDir: path.resolve(__dirname, '../../dist/webview'), ...options.ui },
  });
  const configPath = path.join(home, 'config.json');
  const configText = () => readFileSync(configPath, 'utf8');

  const client = new RestClient(gw.url, gw.token);
  // Raw on purpose (bad bodies, missing headers, any status): the typed methods are `client`'s.
  const api = <T>(method: string, apiPath: string, body?: unknown, headers: Record<string, string | null> = {}): Promise<ApiResponse<T>> =>
    client.raw<T>(method, apiPath, { body, headers: { 'content-type': 'application/json', ...headers } });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await gw.stop();
  };
  return {
    gw,
    home,
    url: gw.url,
    token: gw.token,
    logs,
    client,
    api,
    configPath,
    configText,
    readConfig: () => JSON.parse(configText()) as ConfigState,
    stop,
    close: async () => {
      await stop();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A raw HTTP request through node:http, where every header (Host included) is exactly as given. */
export function rawRequest(
  url: string,
  method: string,
  requestPath: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path: requestPath, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Polls `check` until it returns a truthy value, and resolves with it.
 *
 * @throws Error when `timeoutMs` passes first, quoting the check and its last value: a wait that
 *   never came true fails the test where it waited, rather than letting it go on as if it had.
 */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const value = await poll(check, timeoutMs, intervalMs);
  if (value) return value;
  const source = String(check).replace(/\s+/g, ' ').slice(0, 240);
  throw new Error(`waitFor: still ${describeValue(value)} after ${timeoutMs} ms: ${source}`);
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes, and resolves with the last
 * value either way: for a wait whose timing out is an outcome the test reads (a figure to report,
 * a fallback to take), never for one it relies on (that is `waitFor`).
 */
export async function poll<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describeValue(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 200);
  } catch {
    return String(value);
  }
}

/** The paths named by an error response's details. */
export function errorPaths(body: unknown): string[] {
  return ((body as ErrorBody | undefined)?.error?.details ?? []).map((d) => d.path);
}
