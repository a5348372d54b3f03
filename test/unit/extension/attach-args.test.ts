import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attachGateway } from '../../../src/extension/attach.js';
import { DEFAULT_PORT } from '../../../src/extension/settings.js';
import { locateOrStartGateway, writeLaunchRecord } from '../../../src/shared/node/index.js';

/**
 * The `serve` arguments of a daemon started on demand, read from a stand-in CLI that writes its
 * arguments and exits: the extension's `mcplexer.port` decides the port, its default included,
 * whatever port the last gateway ran with (`launch.json`); `mcplexer connect` keeps that port. A
 * new user's trial: the record's `--port` came first and the setting's second, and at the default
 * the setting added none, so the default port could never be restored.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function standIn(): { home: string; cliPath: string; args: () => string[] } {
  const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-attach-args-'));
  dirs.push(home);
  const record = path.join(home, 'argv.json');
  const cliPath = path.join(home, 'stand-in-cli.cjs');
  writeFileSync(cliPath, `require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2))); process.exit(5);\n`);
  writeLaunchRecord(home, { config_file: null, port: 27081 });
  return { home, cliPath, args: () => JSON.parse(readFileSync(record, 'utf8')) as string[] };
}

const ports = (args: string[]) => args.flatMap((arg, i) => (arg === '--port' ? [args[i + 1]] : []));
const attach = (home: string, cliPath: string, port: number) =>
  attachGateway({
    dataDir: home,
    cliPath,
    execPath: process.execPath,
    version: '9.9.9',
    port,
    idleTimeoutMinutes: 30,
    logLevel: 'default',
    log: () => undefined,
    env: {},
  });

describe('the port of a daemon started on demand', () => {
  it('from the extension at the default port: no --port at all, whatever launch.json holds', async () => {
    const { home, cliPath, args } = standIn();
    await expect(attach(home, cliPath, DEFAULT_PORT)).rejects.toThrow(/exited \(code 5\)/);
    expect(ports(args())).toEqual([]);
  });

  it('from the extension at a chosen port: that port, once', async () => {
    const { home, cliPath, args } = standIn();
    await expect(attach(home, cliPath, 27099)).rejects.toThrow(/exited \(code 5\)/);
    expect(ports(args())).toEqual(['27099']);
  });

  it('from `mcplexer connect` (no port of its own): the port the last gateway ran with', async () => {
    const { home, cliPath, args } = standIn();
    await expect(locateOrStartGateway({ dataDir: home, cliPath, env: {} })).rejects.toThrow(/exited \(code 5\)/);
    expect(ports(args())).toEqual(['27081']);
  });
});
