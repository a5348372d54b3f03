/**
 * Turns what the SDK, the OS or fetch threw into a `GatewayError` that names the server and tells
 * the user what to do, with the original's hints for start failures.
 */
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { GatewayError, isGatewayError } from '../errors.js';
import { describeHandshake } from './describe-handshake.js';
import { describeHttpFailure, isNotFound, sessionNotKeptText } from './describe-http.js';
import { MALFORMED_RESPONSE, type ExitInfo, type OversizeInfo } from './stdio-transport.js';

export interface FailureContext {
  /** The server's display name. */
  name: string;
  /** The command line (stdio) or URL (http), for the message. */
  target: string;
  /** HTTP only: the server's URL and the auth scope whose values were sent (for the credentials hint). */
  http?: { url: string; scopeId: string | null };
  exit?: ExitInfo;
  /** Set when the server sent a message over `max_message_bytes` (why the connection was closed). */
  oversize?: OversizeInfo;
  /** The `result` the server answered `initialize` with, as it arrived (undefined: none arrived). */
  initializeResult?: unknown;
  /** The newest stderr lines, already trimmed. */
  stderr: string;
  /** Stdio: what the server wrote on stdout that is not JSON-RPC, in a sentence (`StdoutNoise.summary`). */
  stdoutNoise?: string;
}

/**
 * Why a spawn/connect + initialize failed, with the hint that fits. The first cause wins over its
 * consequences: what the server answered to initialize (an error, a version, a malformed result),
 * a timeout or a network failure come before a process exit, and an exit the gateway asked for
 * (it closes the connection after any failed handshake) is never the cause.
 */
export function describeStartError(error: unknown, ctx: FailureContext, timeoutMs: number): GatewayError {
  if (isGatewayError(error)) return error;
  if (ctx.oversize) return describeOversize(ctx, error);
  return new GatewayError('downstream_unavailable', withOutput(startFailureText(error, ctx, timeoutMs), ctx), { cause: error });
}

function startFailureText(error: unknown, ctx: FailureContext, timeoutMs: number): string {
  const who = `downstream server "${ctx.name}"`;
  if (errnoOf(error) && (error as NodeJS.ErrnoException).syscall?.startsWith('spawn')) {
    return `${who} failed to start: ${(error as Error).message} — ensure the required command is installed and in PATH`;
  }
  if (isSdk(error, SdkErrorCode.RequestTimeout)) {
    return `${who} did not respond within the timeout period (${seconds(timeoutMs)} s, setting start_timeout_sec) to initialize; it may be slow to start or unable to connect to its backend`;
  }
  const http = ctx.http && { name: ctx.name, ...ctx.http };
  if (http && ctx.initializeResult !== undefined && isNotFound(error)) return sessionNotKeptText(http, 'right after it opened the session');
  const described = describeHandshake(error, ctx.initializeResult, who) ?? (http && describeHttpFailure(error, http));
  if (described !== undefined) return described;
  const exit = ctx.exit?.requested ? undefined : ctx.exit;
  if (exit || isSdk(error, SdkErrorCode.ConnectionClosed)) {
    return `${who} started but did not respond${exit ? ` (${exitText(exit)})` : ''} — check that any services it needs (database, Docker, network) are available`;
  }
  return `${who} failed to start: ${firstLine(error instanceof Error ? error.message : String(error))}`;
}

export interface CallFailureContext {
  name: string;
  timeoutMs: number;
  aborted: boolean;
  /** Set when the connection closed under the call (the crash report). */
  closeError?: GatewayError;
  /** HTTP only: the server's URL and the auth scope whose values were sent. */
  http?: { url: string; scopeId: string | null };
  /** The call was already retried on a new session after an HTTP 404 (the session had expired). */
  retried?: boolean;
  /** Stdio: what the server wrote on stdout that is not JSON-RPC, in a sentence (`StdoutNoise.summary`). */
  stdoutNoise?: string;
}

/** Why one call failed. A JSON-RPC error from the downstream keeps its code and data in `cause`. */
export function describeCallError(error: unknown, ctx: CallFailureContext): GatewayError {
  if (isGatewayError(error)) return error;
  const who = `"${ctx.name}"`;
  if (ctx.aborted) return new GatewayError('cancelled', `the call to ${who} was cancelled`, { cause: error });
  if (error instanceof ProtocolError) {
    // Not the server's own JSON-RPC error: the transport's stand-in for a malformed answer (no code to keep).
    const mark = (error.data as { mcplexer?: unknown } | undefined)?.mcplexer;
    // Worded in full already (describeOversize), standing in for a response the gateway stopped reading.
    if (mark === OVERSIZE_RESPONSE) return new GatewayError('downstream_error', error.message);
    if (mark === MALFORMED_RESPONSE) {
      return new GatewayError(
        'downstream_error',
        `downstream server ${who} ${error.message}; it may be a bug in the server (its answers must be JSON-RPC 2.0, and its results MCP's)`,
      );
    }
    return new GatewayError('downstream_error', `${who}: ${error.message}`, { cause: error });
  }
  if (isSdk(error, SdkErrorCode.RequestTimeout)) {
    const noise = ctx.stdoutNoise ? `; ${ctx.stdoutNoise}` : '';
    return new GatewayError('timeout', `${who} did not respond within ${seconds(ctx.timeoutMs)} s${noise}`, { cause: error });
  }
  if (ctx.closeError) return ctx.closeError;
  if (isSdk(error, SdkErrorCode.ConnectionClosed) || isSdk(error, SdkErrorCode.NotConnected)) {
    return new GatewayError('downstream_unavailable', `the connection to ${who} closed during the call`, { cause: error });
  }
  if (ctx.http && ctx.retried && isNotFound(error)) {
    const message = sessionNotKeptText({ name: ctx.name, ...ctx.http }, 'again right after MCPlexer re-initialized its session', ', so the call was not run');
    return new GatewayError('downstream_unavailable', message, { cause: error });
  }
  const http = ctx.http && describeHttpFailure(error, { name: ctx.name, ...ctx.http });
  if (http !== undefined) return new GatewayError(isServerFailure(error) ? 'downstream_error' : 'downstream_unavailable', http, { cause: error });
  if (isConnectionFailure(error)) {
    return new GatewayError('downstream_unavailable', `${who} could not be reached: ${firstLine(describeCause(error))}`, { cause: error });
  }
  return new GatewayError('downstream_error', `${who}: ${firstLine(error instanceof Error ? error.message : String(error))}`, { cause: error });
}

/** A 5xx: the server was reached and failed (it may have run the call), as opposed to being unreachable. */
function isServerFailure(error: unknown): boolean {
  return error instanceof SdkHttpError && (error.status ?? 0) >= 500;
}

/** The message for a connection that died under its calls (process exit or dropped HTTP session). */
export function describeExit(ctx: FailureContext): GatewayError {
  if (ctx.oversize) return describeOversize(ctx);
  const what = ctx.exit ? exitText(ctx.exit) : 'closed its connection';
  return new GatewayError('downstream_unavailable', withOutput(`downstream server "${ctx.name}" ${what}`, ctx));
}

/**
 * An error that means the connection itself is unusable: an HTTP-level refusal of a POST (session
 * expired or unknown, server restarted) or the network. JSON-RPC errors are not among them.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof SdkHttpError) return true;
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return true;
  return errnoOf(error) !== undefined;
}

/** `error.data.mcplexer` of the error response that stands for an HTTP response over the limit (message-limit-fetch.ts). */
export const OVERSIZE_RESPONSE = 'oversize_response';

const AFTER_OVERSIZE = {
  stdout: 'on stdout. The gateway stopped reading it and stopped the server, which restarts on the next call',
  response: 'in its HTTP response. The gateway stopped reading that response and failed this call; other calls go on',
  stream: 'on its HTTP event stream, which no call owns. The gateway stopped reading it and closed the connection, which reopens on the next call',
} as const;

/**
 * A message over the size limit: names the server, the size, the limit and the setting to raise,
 * and says what the gateway did (by `ctx.oversize.where`).
 */
export function describeOversize(ctx: Pick<FailureContext, 'name' | 'oversize'>, cause?: unknown): GatewayError {
  const { bytesSeen, limit, where = 'stdout' } = ctx.oversize!;
  const message =
    `downstream server "${ctx.name}" sent a message of more than ${limit} bytes (${mebibytes(limit)} MiB, setting max_message_bytes; ${bytesSeen} bytes read without its end) ${AFTER_OVERSIZE[where]}; ` +
    `if the server really sends messages this big, raise max_message_bytes`;
  return new GatewayError('downstream_error', message, cause === undefined ? {} : { cause });
}

function mebibytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 10) / 10);
}

export function exitText(exit: ExitInfo): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${String(exit.code)}`;
}

/** The message, then what the server printed that explains it: stdout that is not JSON-RPC, its stderr tail. */
function withOutput(message: string, ctx: Pick<FailureContext, 'stderr' | 'stdoutNoise'>): string {
  const text = ctx.stdoutNoise ? `${message}; ${ctx.stdoutNoise}` : message;
  return ctx.stderr ? `${text}; stderr:\n${ctx.stderr}` : text;
}

function isSdk(error: unknown, code: SdkErrorCode): boolean {
  return error instanceof SdkError && error.code === code;
}

function errnoOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    current = (current as Error).cause;
  }
  return undefined;
}

function describeCause(error: unknown): string {
  const errno = errnoOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return errno && !message.includes(errno) ? `${message} (${errno})` : message;
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

/**
 * Why a start failed, as the error its waiting calls get: a stop during the start says so; our own
 * errors (timeouts, spawn errors already described) pass as they are; anything else is wrapped.
 */
export function describeStartFailure(error: unknown, name: string, stopped: boolean): GatewayError {
  if (stopped) return new GatewayError('downstream_unavailable', `downstream server "${name}" was stopped while it was starting`, { cause: error });
  if (isGatewayError(error)) return error;
  return new GatewayError('downstream_unavailable', `downstream server "${name}" failed to start: ${String((error as Error)?.message ?? error)}`, {
    cause: error,
  });
}
