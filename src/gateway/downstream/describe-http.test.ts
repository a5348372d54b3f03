import { SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { describeHttpFailure, isNotFound } from './describe-http.js';

const target = { name: 'remote', url: 'https://mcp.example.com/mcp', scopeId: null };
/** What undici throws: a TypeError whose cause is the socket's error. */
const fetchFailed = (code: string, message: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
const httpError = (status: number, statusText: string, text?: string) =>
  new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Error POSTing to endpoint: ${text}`, { status, statusText, text });

describe('describeHttpFailure', () => {
  it('names a host that does not resolve', () => {
    expect(describeHttpFailure(fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND mcp.example.com'), target)).toBe(
      `downstream server "remote": host not found: mcp.example.com (ENOTFOUND) — check the host name in the server's url and this machine's DNS`,
    );
    expect(describeHttpFailure(fetchFailed('EAI_AGAIN', 'getaddrinfo EAI_AGAIN mcp.example.com'), target)).toMatch(
      /: host not found: mcp.example.com \(EAI_AGAIN\)/,
    );
  });

  it('names a rejected certificate, whatever the TLS code', () => {
    for (const [code, message] of [
      ['CERT_HAS_EXPIRED', 'certificate has expired'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"],
    ]) {
      expect(describeHttpFailure(fetchFailed(code!, message!), target)).toBe(
        `downstream server "remote": the certificate of mcp.example.com was rejected: ${message} (${code}) — fix the server's certificate, or trust its CA with NODE_EXTRA_CA_CERTS`,
      );
    }
  });

  it('says a refused connection means nothing runs at the url', () => {
    expect(describeHttpFailure(fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED'), target)).toMatch(
      /^downstream server "remote" is not running at https:\/\/mcp.example.com\/mcp \(connection refused\)/,
    );
  });

  it('says a connection was dropped', () => {
    expect(describeHttpFailure(fetchFailed('UND_ERR_SOCKET', 'other side closed'), target)).toBe(
      'downstream server "remote" dropped the connection at https://mcp.example.com/mcp (UND_ERR_SOCKET: other side closed)',
    );
  });

  it('sends 401 and 403 to the credentials: the auth scope when one is bound, else the headers', () => {
    expect(describeHttpFailure(httpError(403, 'Forbidden'), { ...target, scopeId: 'work' })).toBe(
      `downstream server "remote": credentials rejected (HTTP 403 Forbidden) at https://mcp.example.com/mcp — check auth scope "work" and the server's headers`,
    );
    expect(describeHttpFailure(httpError(401, 'Unauthorized'), target)).toMatch(
      /credentials rejected \(HTTP 401 Unauthorized\) .* — check the server's headers \(no auth scope is bound to it\)$/,
    );
  });

  it('quotes the first line of a 5xx body, cut at 200 characters', () => {
    expect(describeHttpFailure(httpError(502, 'Bad Gateway', 'x'.repeat(500)), target)).toBe(
      `downstream server "remote": the server failed: 502 Bad Gateway ${'x'.repeat(200)}…`,
    );
  });

  it('leaves what is neither network nor HTTP to the caller', () => {
    expect(describeHttpFailure(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'), target)).toBeUndefined();
    expect(describeHttpFailure(new Error('boom'), target)).toBeUndefined();
  });
});

describe('isNotFound', () => {
  it('is an HTTP 404 only', () => {
    expect(isNotFound(httpError(404, 'Not Found'))).toBe(true);
    expect(isNotFound(httpError(400, 'Bad Request'))).toBe(false);
    expect(isNotFound(fetchFailed('ECONNREFUSED', 'refused'))).toBe(false);
  });
});
