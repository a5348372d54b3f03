import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { openMetrics } from './metrics-service.js';
import { RANGES, type MetricsCall } from './types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-metrics-'));
  dirs.push(dir);
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', (line) => void logs.push(JSON.parse(line)));
  const open = () => openMetrics<MetricsCall>({ dataDir: dir, logger, describe: (r) => ({ tool_name: r.name }) });
  return { dir, logs, open, file: path.join(dir, 'metrics.json') };
}

const call: MetricsCall = { startedAt: Date.now(), latencyMs: 2, sessionId: 's', name: 'ev__echo', server: undefined, decision: undefined, status: 'success' };

describe('metrics.json', () => {
  it('is written atomically with mode 0600 at stop and read back at the next open', async () => {
    const { dir, open, file } = setup();
    const first = open();
    first.record(call);
    first.record({ ...call, status: 'error' });
    await first.stop();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['metrics.json']);
    const second = open();
    expect(second.figures(RANGES[3]!).stats).toMatchObject({ total_requests: 2, success_count: 1, error_count: 1 });
    await second.stop();
  });

  it('flush writes only when something changed', async () => {
    const { open, file } = setup();
    const metrics = open();
    await metrics.flush();
    expect(() => statSync(file)).toThrow();
    metrics.record(call);
    await metrics.flush();
    const saved = readFileSync(file, 'utf8');
    await metrics.flush();
    expect(readFileSync(file, 'utf8')).toBe(saved);
    await metrics.stop();
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['JSON of the wrong shape', '[1,2,3]'],
  ])('%s: logged, the figures start empty, and the next save replaces it', async (_label, text) => {
    const { logs, open, file } = setup();
    writeFileSync(file, text);
    const metrics = open();
    expect(metrics.figures(RANGES[0]!).stats.total_requests).toBe(0);
    metrics.record(call);
    await metrics.stop();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, tools: [{ key: 'ev__echo', calls: 1 }] });
    if (text.startsWith('{')) expect(logs.some((l) => l.level === 'warn' && /metrics\.json is unreadable/.test(String(l.msg)))).toBe(true);
  });
});
