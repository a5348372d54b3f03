import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
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
      { ...ctx, exit: { code: 1, signal: null }, stderr: 'fatal: no token' },
      30_000,
    );
    expect(described.message).toMatch(/^downstream server "github" started but did not respond \(exited with code 1\)/);
    expect(described.message).toMatch(/stderr:\nfatal: no token$/);
  });

  it('says it could not connect to its backend', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const described = describeStartError(error, { ...ctx, target: 'http://127.0.0.1:9/mcp' }, 30_000);
    expect(described.message).toBe(
      'downstream server "github" could not connect to its backend at http://127.0.0.1:9/mcp (ECONNREFUSED) — ensure the service is running and reachable',
    );
  });

  it('reports an HTTP refusal with its status', () => {
    const error = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint: nope', { status: 401, statusText: 'Unauthorized' });
    expect(describeStartError(error, ctx, 1000).message).toMatch(/refused the connection at .*: HTTP 401/);
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
    const crash = describeExit({ ...ctx, exit: { code: null, signal: 'SIGKILL' }, stderr: 'last words' });
    const described = describeCallError(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'), { ...base, closeError: crash });
    expect(described.message).toBe('downstream server "github" was killed by SIGKILL; stderr:\nlast words');
  });
});
