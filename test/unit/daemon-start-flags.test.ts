/**
 * The daemon's start flags (`DAEMON_START_FLAGS`) are passed by every start of it we make: the
 * spawner (`locateOrStartGateway`: its real spawn is checked in test/integration/shared-locate),
 * `npm start`, and the bench, which keeps its own copy (an .mjs cannot import the TypeScript).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error an .mjs of the bench, without types
import { DAEMON_START_FLAGS as BENCH_FLAGS } from '../../bench/lib/daemon-flags.mjs';
import { DAEMON_START_FLAGS } from '../../src/shared/daemon-v8-flags.js';

describe('the daemon start flags', () => {
  it('are V8 options a plain node accepts, and some are set', () => {
    expect(DAEMON_START_FLAGS.length).toBeGreaterThan(0);
    for (const flag of DAEMON_START_FLAGS) expect(flag).toMatch(/^--[a-z0-9-]+(=\S+)?$/);
  });

  it('the bench starts the daemon with the same', () => {
    expect(BENCH_FLAGS).toEqual(DAEMON_START_FLAGS);
  });

  it('npm start runs serve with them, before the script', () => {
    const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toContain(`node ${DAEMON_START_FLAGS.join(' ')} dist/cli.js serve`);
  });
});
