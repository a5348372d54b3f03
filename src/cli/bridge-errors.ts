import { JsonRpcCode } from '../gateway/index.js';
import { GatewayHttpError } from './gateway-link.js';

/** A JSON-RPC error object the bridge answers with itself. */
export interface BridgeError {
  code: number;
  message: string;
}

/**
 * How long `mcplexer connect` waits, after its client closed stdin, for the answers it still owes
 * (env `MCPLEXER_CONNECT_EOF_TIMEOUT_SEC`): 150 s, beyond the gateway's default call timeout
 * (setting `call_timeout_sec`, 120 s), so a slow call's own timeout answers it before the bridge
 * gives up, and a hung gateway cannot keep the bridge alive for ever.
 */
export const DEFAULT_EOF_TIMEOUT_MS = 150_000;

/** What the bridge answers a gateway's request to a client that closed its stdin (it can never answer). */
export const CLIENT_GONE_ERROR: BridgeError = {
  code: JsonRpcCode.InternalError,
  message: 'the client closed its input (stdin of mcplexer connect): it can no longer answer',
};

/**
 * A request's answer when the gateway could not be found or started: `why` quotes the cause (for a
 * port another program holds: the port, its holder, and `--port` / `MCPLEXER_PORT`): `GatewayUnreachable`.
 */
export function startFailureError(why: Error): BridgeError {
  return { code: JsonRpcCode.GatewayUnreachable, message: `mcplexer connect could not reach or start the MCPlexer gateway: ${why.message}` };
}

/**
 * A request still unanswered `timeoutMs` after the client closed stdin: `GatewayUnreachable` naming the last
 * failure when the gateway is unreachable (`lostBecause`), else `Timeout` (it did not answer in time).
 */
export function eofTimeoutError(where: string, lostBecause: Error | undefined, timeoutMs: number): BridgeError {
  const why = lostBecause ? `the gateway at ${where} cannot be reached (${lostBecause.message})` : `the gateway at ${where} did not answer`;
  return {
    code: lostBecause ? JsonRpcCode.GatewayUnreachable : JsonRpcCode.Timeout,
    message: `no answer after the client closed stdin: ${why} within ${timeoutMs / 1000} s (MCPLEXER_CONNECT_EOF_TIMEOUT_SEC)`,
  };
}

/** The JSON-RPC error body the gateway refused a request with (an HTTP error status), if it is one. */
export function refusalBody(error: unknown): { id?: unknown; error: unknown } | undefined {
  if (!(error instanceof GatewayHttpError)) return undefined;
  try {
    const body = JSON.parse(error.text) as { jsonrpc?: unknown; error?: unknown };
    return body?.jsonrpc === '2.0' && typeof body.error === 'object' && body.error !== null ? (body as { error: unknown }) : undefined;
  } catch {
    return undefined; // not a JSON-RPC body: the HTTP error stands as a transport failure
  }
}
