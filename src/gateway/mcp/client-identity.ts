/**
 * What a client may say about itself beyond `clientInfo`, in two headers: `X-MCPlexer-Client-Pid`
 * (the pid of the client process: `mcplexer connect` sends its parent's, the process that launched
 * it) and `X-MCPlexer-Model` (the model the client runs). MCP carries neither, so the gateway
 * knows them only when a client sends them; the dashboard's session list (`client_pid`,
 * `model_hint`) and the audit record (`model`) show null otherwise.
 */
import { modelNameProblem } from '../calls/index.js';
import { GatewayError } from '../errors.js';
import type { McpSession } from './session.js';

export const CLIENT_PID_HEADER = 'x-mcplexer-client-pid';
export const MODEL_HEADER = 'x-mcplexer-model';

/** A request's header value (session-headers.ts's `HeaderGetter`, restated: that file imports this one). */
type HeaderGetter = (name: string) => string | undefined;

/** The largest pid taken (pids are unsigned 32-bit on every platform the gateway runs on). */
const MAX_PID = 0xffff_ffff;

/**
 * `X-MCPlexer-Client-Pid` as a number; undefined when absent.
 * @throws GatewayError `bad_request` (HTTP 400) naming the header when it is not a positive whole number
 */
export function clientPidFromHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const pid = /^\s*\d{1,10}\s*$/.test(value) ? Number(value) : NaN;
  if (!(pid > 0 && pid <= MAX_PID)) {
    throw new GatewayError(
      'bad_request',
      `X-MCPlexer-Client-Pid must be the client's process id, a positive whole number: got ${JSON.stringify(value.slice(0, 40))}. Send the pid, or leave the header out.`,
      { details: [{ path: 'X-MCPlexer-Client-Pid', message: 'not a positive whole number' }] },
    );
  }
  return pid;
}

/**
 * `X-MCPlexer-Model`, trimmed; undefined when absent.
 * @throws GatewayError `bad_request` (HTTP 400) naming the header (empty, too long, control characters)
 */
export function modelFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = modelNameProblem(value);
  if (problem) {
    throw new GatewayError('bad_request', `X-MCPlexer-Model ${problem}: send the model's name (e.g. "claude-sonnet-4"), or leave the header out.`, {
      details: [{ path: 'X-MCPlexer-Model', message: problem }],
    });
  }
  return value.trim();
}

/**
 * Takes both headers into a new session (either era).
 * @throws GatewayError `bad_request` naming the header
 */
export function applyClientIdentity(session: McpSession, header: HeaderGetter): void {
  session.clientPid = clientPidFromHeader(header(CLIENT_PID_HEADER));
  followModelHeader(session, header(MODEL_HEADER));
}

/**
 * A later request's `X-MCPlexer-Model` (a client may switch models within a session): checked only
 * when it differs from the value last taken; absent keeps the session's.
 * @throws GatewayError `bad_request` naming the header
 */
export function followModelHeader(session: McpSession, value: string | undefined): void {
  if (value === undefined || value === session.modelHeader) return;
  session.modelHint = modelFromHeader(value);
  session.modelHeader = value;
}

/**
 * Checks both headers of a request that opens no session (the 2026-era path), so a bad value is a
 * 400 before any SDK code runs.
 * @throws GatewayError `bad_request` naming the header
 */
export function checkClientIdentity(header: HeaderGetter): void {
  clientPidFromHeader(header(CLIENT_PID_HEADER));
  modelFromHeader(header(MODEL_HEADER));
}
