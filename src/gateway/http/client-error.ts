import type { Server } from 'node:http';
import { maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayError } from '../errors.js';
import { errorBody, httpStatusOf } from './error-map.js';

/** What Node's HTTP parser reports for a request line and headers over `--max-http-header-size`. */
const HEADER_OVERFLOW = 'HPE_HEADER_OVERFLOW';
/** What Node reports when a request's headers (or body) did not arrive within `headersTimeout` / `requestTimeout`. */
const REQUEST_TIMEOUT = 'ERR_HTTP_REQUEST_TIMEOUT';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Answers the requests Node's HTTP parser refuses before any handler sees them with the gateway's
 * JSON error body, instead of Node's bare status line: headers over the limit get `431`
 * `headers_too_large` naming the limit and what to do (RFC 6585 §5), a request whose headers did
 * not arrive in time `408` `request_timeout` (RFC 9110 §15.5.9), any other malformed request
 * `400` `bad_request`. The socket is then destroyed once the answer is written, as Node's own
 * handler does: only ending it left it open for a client that went on sending (a slow-headers
 * trial with 800 sockets: none closed in 200 s). A socket that is already gone (the client reset
 * it) is just destroyed (node:http, event 'clientError').
 *
 * @param server the gateway's listener
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal =
      error.code === HEADER_OVERFLOW
        ? new GatewayError(
            'headers_too_large',
            `the request line and headers are larger than the ${maxHeaderSize}-byte limit: send long values in the request body instead`,
          )
        : error.code === REQUEST_TIMEOUT
          ? new GatewayError('request_timeout', 'the request did not arrive in time: send the request line, headers and body without pausing')
          : new GatewayError('bad_request', `malformed HTTP request (${error.code ?? error.message}): send HTTP/1.1 as RFC 9112 defines it`);
    const body = JSON.stringify(errorBody(refusal));
    const status = httpStatusOf(refusal.code);
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  });
}
