/** POST /api/v1/shutdown (what `mcplexer stop` calls): only with the token and a local origin; then the gateway stops and frees its lock. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('POST /api/v1/shutdown', () => {
  it('is refused without the token, with a wrong one, or from a foreign origin, and the gateway keeps running', async () => {
    t = await startTestGateway({ lock: true });
    expect((await t.api('POST', '/shutdown', {}, { authorization: null })).status).toBe(401);
    expect((await t.api('POST', '/shutdown', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await t.api('POST', '/shutdown', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await t.api('GET', '/health')).status).toBe(200);
    expect(existsSync(path.join(t.home, 'gateway.lock'))).toBe(true);
  });

  it('answers 202 with the pid, then stops the gateway and releases gateway.lock', async () => {
    t = await startTestGateway({ lock: true });
    const res = await t.api('POST', '/shutdown', {});
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'stopping', pid: process.pid });
    expect(await waitFor(() => !existsSync(path.join(t!.home, 'gateway.lock')), 10_000)).toBe(true);
    await expect(fetch(`${t.url}/api/v1/health`)).rejects.toThrow();
  });
});
