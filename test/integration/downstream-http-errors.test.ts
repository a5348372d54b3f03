// HTTP downstream failures worded by what happened, against real sockets: a host that does not
// resolve (RFC 6761 reserves .invalid), a TLS server with a self-signed certificate (made with
// openssl for this run), and credentials refused with 403 under an auth scope.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DownstreamPool } from '../../src/gateway/downstream/index.js';
import { makeServer } from '../fixtures/downstream-servers.js';

const pool = new DownstreamPool({ startTimeoutMs: 10_000, resolveScope: () => ({ env: {}, headers: { authorization: 'Bearer wrong' } }) });
const servers: Server[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-tls-'));
afterAll(async () => {
  await pool.stopAll({ drainMs: 0 });
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function startError(url: string, scopeId: string | null = null): Promise<{ code: string; message: string }> {
  const server = makeServer({ name: 'remote', transport: 'http', url });
  return pool.callTool(server, scopeId, { name: 'echo' }, { timeoutMs: 10_000 }).then(
    () => {
      throw new Error('expected the start to fail');
    },
    (error: { code: string; message: string }) => error,
  );
}

describe('HTTP downstream errors say what happened', () => {
  it('a host that does not resolve: host not found', async () => {
    const error = await startError('http://mcplexer-test.invalid/mcp');
    expect(error.code).toBe('downstream_unavailable');
    expect(error.message).toMatch(
      /^downstream server "remote": host not found: mcplexer-test\.invalid \((ENOTFOUND|EAI_AGAIN)\) — check the host name in the server's url and this machine's DNS$/,
    );
  });

  it('a self-signed certificate: the certificate was rejected', async () => {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'], {
      stdio: 'ignore',
    });
    const port = await listen(createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_request, response) => response.end('{}')));
    const error = await startError(`https://127.0.0.1:${port}/mcp`);
    expect(error.message).toMatch(
      new RegExp(
        `^downstream server "remote": the certificate of 127\\.0\\.0\\.1:${port} was rejected: .+ \\([A-Z_]*(CERT|SELF_SIGNED)[A-Z_]*\\) — fix the server's certificate, or trust its CA with NODE_EXTRA_CA_CERTS$`,
      ),
    );
  });

  it('403 under an auth scope: credentials rejected, naming the scope', async () => {
    const port = await listen(createHttpServer((_request, response) => response.writeHead(403, { 'content-type': 'text/plain' }).end('insufficient scope')));
    const error = await startError(`http://127.0.0.1:${port}/mcp`, 'work-github');
    expect(error.message).toBe(
      `downstream server "remote": credentials rejected (HTTP 403 Forbidden) at http://127.0.0.1:${port}/mcp — check auth scope "work-github" and the server's headers`,
    );
  });
});
