import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { GatewayError, payloadTooLarge } from '../errors.js';
import { sendError, type McpErrorBody } from './error-map.js';
import type { Logger } from '../log.js';
import type { RequestGuard } from './security.js';

/** An established MCP session's requests, served without Express (the hot path). */
export interface McpSessionPath {
  /** The largest request body the MCP front accepts. */
  maxBodyBytes: number;
  has(sessionId: string): boolean;
  /** Serves one request; a refusal is thrown as a GatewayError and written with `errorBody`. */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  /** The JSON-RPC error body of every refusal on `/mcp`, on this path and through Express alike. */
  errorBody: McpErrorBody;
}

/**
 * How much of an oversized body is read and discarded so that the client, still sending, reads
 * the 413 instead of a connection reset. Past this the connection is closed after the answer.
 */
const DRAIN_BYTES = 64 * 1024 * 1024;

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType);
}

/**
 * The request body, up to `limit` bytes (with or without Content-Length, chunked or not).
 * @throws GatewayError `payload_too_large` once the body is over the limit; the rest of the body
 * is drained first (as body-parser does on the Express path), or, past DRAIN_BYTES, the answer
 * is marked `Connection: close`.
 */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit + DRAIN_BYTES) {
      res.setHeader('connection', 'close');
      return reject(payloadTooLarge(limit));
    }
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) chunks = undefined;
      else chunks?.push(chunk);
      if (size > limit + DRAIN_BYTES) {
        req.off('data', onData).pause();
        res.setHeader('connection', 'close');
        reject(payloadTooLarge(limit));
      }
    };
    req.on('data', onData);
    req.on('end', () => {
      if (chunks === undefined) reject(payloadTooLarge(limit));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Writes a refusal as the Express path does: status and headers from `http/`, the JSON-RPC body from the MCP front. */
function refuse(mcp: McpSessionPath, res: ServerResponse, error: GatewayError, request?: unknown): void {
  if (!res.headersSent) sendError(res, error, mcp.errorBody(error, request));
  else res.end();
}

/**
 * The server's request listener. A JSON POST to `/mcp` on a known session goes straight to the
 * MCP front after the same Host/Origin/token checks Express applies; everything else goes
 * through the Express app. This keeps Express's routing and body parsing off the per-call path.
 * Refusals on this path have the status, headers and JSON-RPC body the Express path gives.
 */
export function createRequestListener(app: RequestListener, guard: RequestGuard, mcp: McpSessionPath | undefined, logger: Logger): RequestListener {
  return (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    if (
      mcp === undefined ||
      req.method !== 'POST' ||
      req.url !== '/mcp' ||
      typeof sessionId !== 'string' ||
      !isJson(req.headers['content-type']) ||
      !mcp.has(sessionId)
    ) {
      return app(req, res);
    }
    const refusal = guard.checkOrigin(req) ?? guard.checkToken(req);
    if (refusal) return refuse(mcp, res, refusal);
    let body: unknown;
    readBody(req, res, mcp.maxBodyBytes)
      .then(
        (raw) => {
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch (error) {
            return refuse(mcp, res, new GatewayError('parse_error', `Parse error: ${(error as Error).message}`));
          }
          return mcp.handle(req, res, body);
        },
        (error: unknown) => {
          if (error instanceof GatewayError) return refuse(mcp, res, error);
          // The client went away while sending: there is no one to answer.
          logger.debug('MCP request body not received', { reason: String(error) });
          res.destroy();
        },
      )
      .catch((error: unknown) => {
        if (error instanceof GatewayError) return refuse(mcp, res, error, body);
        logger.error('MCP request failed', { error: String((error as Error)?.stack ?? error) });
        refuse(mcp, res, new GatewayError('internal', 'internal error in the gateway'), body);
      });
  };
}
