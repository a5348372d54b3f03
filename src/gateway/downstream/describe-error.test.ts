import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { describeCallError, describeExit, describeStartError } from './describe-error.js';

const ctx = { name: 'github', target: 'npx -y server-github', stderr: '' };

describe('describeStartError', () => {
  it('hints at PATH when the command does not exist', () => {
    const error = Object.assign(new Error('spawn npx ENOENT'), { code: 'ENOENT', syscall: 'spawn npx' });
    const described = describeStartError(error, ctx, 30_000);
    expect(described.code).toBe('downstream_unavailable');
    expect(described.message).toBe('downstream server "github" failed to start: spawn npx ENOENT — ensure the required command is installed and in PATH');
  });

  it('says the server did not respond within the timeout period', () => {
    const described = describeStartError(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), ctx, 30_000);
    expect(described.message).toMatch(/^downstream server "github" did not respond within the timeout period \(30 s, setting start_timeout_sec\)/);
  });

  it('says the server started but did not respond, with its exit and stderr', () => {
    const described = describeStartError(
      new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'),
      { ...ctx, exit: { code: 1, signal: null, requested: false }, stderr: 'fatal: no token' },
      30_000,
    );
    expect(described.message).toMatch(/^downstream server "github" started but did not respond \(exited with code 1\)/);
    expect(described.message).toMatch(/stderr:\nfatal: no token$/);
  });

  it('words an HTTP server that is not listening by what happened', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const url = 'http://127.0.0.1:9/mcp';
    const described = describeStartError(error, { ...ctx, target: url, http: { url, scopeId: null } }, 30_000);
    expect(described.message).toBe(`downstream server "github" is not running at ${url} (connection refused) — start it, or correct the server's url`);
  });

  it('reports rejected credentials with the auth scope to check', () => {
    const error = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint: nope', { status: 401, statusText: 'Unauthorized' });
    const url = 'https://api.example.com/mcp';
    expect(describeStartError(error, { ...ctx, target: url, http: { url, scopeId: 'github-work' } }, 1000).message).toBe(
      `downstream server "github": credentials rejected (HTTP 401 Unauthorized) at ${url} — check auth scope "github-work" and the server's headers`,
    );
  });

  describe('prefers the first cause over its consequences', () => {
    // The SDK closes the connection after a failed handshake, so the child exits by the gateway's SIGTERM.
    const killed = { ...ctx, exit: { code: null, signal: 'SIGTERM' as const, requested: true }, stderr: 'serving' };

    it("an unsupported protocol version (the SDK's plain Error) is named with what is supported", () => {
      const error = new Error("Server's protocol version is not supported: 1999-01-01");
      const answer = { protocolVersion: '1999-01-01', capabilities: {}, serverInfo: { name: 's', version: '1' } };
      const described = describeStartError(error, { ...killed, initializeResult: answer }, 30_000);
      expect(described.message).toBe(
        `downstream server "github" answered initialize with protocol version "1999-01-01", which MCPlexer does not support (it supports ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}) — use a release of the server that speaks one of these; stderr:\nserving`,
      );
    });

    it('a malformed initialize result names each missing field', () => {
      const error = new SdkError(SdkErrorCode.InvalidResult, 'Invalid result for initialize: [\n  {"path": ["capabilities"]}\n]');
      const answer = { protocolVersion: '2025-06-18', serverInfo: { name: 's' } };
      expect(describeStartError(error, { ...killed, initializeResult: answer }, 30_000).message).toMatch(
        /^downstream server "github" answered initialize with an invalid result: capabilities is missing \(expected an object\); serverInfo.version is missing \(expected a string\) — /,
      );
    });

    it('a JSON-RPC error to initialize keeps its code and message', () => {
      const error = new ProtocolError(-32603, 'license check failed');
      expect(describeStartError(error, killed, 30_000).message).toMatch(
        /^downstream server "github" answered initialize with an error: license check failed \(JSON-RPC error -32603\)/,
      );
    });

    it('the spec\'s "Unsupported protocol version" error lists both sides\' versions', () => {
      const error = new ProtocolError(-32602, 'Unsupported protocol version', { supported: ['2023-01-01'], requested: '2025-11-25' });
      expect(describeStartError(error, killed, 30_000).message).toMatch(
        /^downstream server "github" does not support protocol version "2025-11-25" that MCPlexer offered \(it supports 2023-01-01; MCPlexer supports 2025-11-25, /,
      );
    });

    it('an exit the gateway asked for is not reported as the cause', () => {
      const described = describeStartError(new Error('something odd'), killed, 30_000);
      expect(described.message).toMatch(/^downstream server "github" failed to start: something odd; stderr/);
      expect(described.message).not.toContain('SIGTERM');
    });

    it('an exit the server made by itself still is', () => {
      const exited = { ...ctx, exit: { code: 3, signal: null, requested: false }, stderr: '' };
      expect(describeStartError(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'), exited, 30_000).message).toMatch(
        /^downstream server "github" started but did not respond \(exited with code 3\)/,
      );
    });
  });
});

describe('describeCallError', () => {
  const base = { name: 'github', timeoutMs: 120_000, aborted: false };

  it('maps a timeout', () => {
    const described = describeCallError(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), base);
    expect(described.code).toBe('timeout');
    expect(described.message).toBe('"github" did not respond within 120 s');
  });

  it('maps an abort to cancelled whatever the SDK threw', () => {
    expect(describeCallError(new SdkError(SdkErrorCode.RequestTimeout, 'AbortError'), { ...base, aborted: true }).code).toBe('cancelled');
  });

  it('keeps a downstream JSON-RPC error as the cause', () => {
    const protocolError = new ProtocolError(-32602, 'bad args');
    const described = describeCallError(protocolError, base);
    expect(described.code).toBe('downstream_error');
    expect(described.cause).toBe(protocolError);
  });

  it('uses the crash report when the connection closed under the call', () => {
    const crash = describeExit({ ...ctx, exit: { code: null, signal: 'SIGKILL', requested: false }, stderr: 'last words' });
    const described = describeCallError(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'), { ...base, closeError: crash });
    expect(described.message).toBe('downstream server "github" was killed by SIGKILL; stderr:\nlast words');
  });

  it('words a second 404 after re-initializing as a server that keeps no sessions', () => {
    const error = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint', { status: 404, statusText: 'Not Found' });
    const http = { url: 'http://h/mcp', scopeId: null };
    expect(describeCallError(error, { ...base, http, retried: true }).message).toMatch(
      /^downstream server "github" answered HTTP 404 \(session not found\) again right after MCPlexer re-initialized its session at http:\/\/h\/mcp, so the call was not run; the server is not keeping its sessions/,
    );
    expect(describeCallError(error, { ...base, http }).message).toBe('downstream server "github" answered HTTP 404 Not Found at http://h/mcp');
  });

  it('a 5xx is the server failing, with an excerpt of its body', () => {
    const error = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint', {
      status: 503,
      statusText: 'Service Unavailable',
      text: 'upstream database down\nstack...',
    });
    const described = describeCallError(error, { ...base, http: { url: 'http://h/mcp', scopeId: null } });
    expect(described.code).toBe('downstream_error');
    expect(described.message).toBe('downstream server "github": the server failed: 503 Service Unavailable upstream database down');
  });
});
