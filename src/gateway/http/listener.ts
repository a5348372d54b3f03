import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { GatewayError } from '../errors.js';
import { errorBody, httpStatusOf } from './error-map.js';
import type { Logger } from '../log.js';
import type { RequestGuard } from './security.js';

/** An established MCP session's requests, served without Express (the hot path). */
export interface McpSessionPath {
  /** The largest request body the MCP front accepts. */
  maxBodyBytes: number;
  has(sessionId: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new GatewayError('payload_too_large', `request body is larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The server's request listener. A JSON POST to `/mcp` on a known session goes straight to the
 * MCP front after the same Host/Origin/token checks Express applies; everything else goes
 * through the Express app. This keeps Express's routing and body parsing off the per-call path.
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
    if (refusal) return sendJson(res, httpStatusOf(refusal.code), errorBody(refusal));
    readBody(req, mcp.maxBodyBytes)
      .then(
        (raw) => {
          let body: unknown;
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch (error) {
            return sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${(error as Error).message}` } });
          }
          return mcp.handle(req, res, body);
        },
        (error: GatewayError) => {
          if (!res.headersSent) sendJson(res, 413, { jsonrpc: '2.0', id: null, error: { code: -32600, message: error.message } });
        },
      )
      .catch((error: unknown) => {
        logger.error('MCP request failed', { error: String((error as Error)?.stack ?? error) });
        if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'internal error in the gateway' } });
        else res.end();
      });
  };
}
