import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, lm, resetFake, setVersion } from '../../fakes/vscode.js';
import { fakeContext } from './context.js';

// The attach never completes here: activation must not wait for it.
const attachGateway = vi.fn(() => new Promise<never>(() => undefined));
vi.mock('../../../src/extension/attach.js', () => ({ attachGateway }));
vi.mock('../../../src/extension/views/index.js', () => ({
  registerViews: () => {
    fake.calls.push('views:registerViews');
    return [];
  },
}));

const { activate } = await import('../../../src/extension/extension.js');
const OWN_COMMANDS = [
  'mcplexer.restartGateway',
  'mcplexer.showLogs',
  'mcplexer.copyEndpoint',
  'mcplexer.openDataFolder',
  'mcplexer.openInBrowser',
  'mcplexer.installClient',
  'mcplexer.importServers',
  'mcplexer.connectAccount',
];

let context: ReturnType<typeof fakeContext>;
beforeEach(() => {
  resetFake();
  attachGateway.mockClear();
  process.env.MCPLEXER_HOME = mkdtempSync(path.join(tmpdir(), 'mcplexer-home-'));
  context = fakeContext();
});
afterEach(() => {
  context.dispose();
  delete process.env.MCPLEXER_HOME;
});

describe('activation', () => {
  it('returns before the attach has even begun, leaving the connection attaching', async () => {
    const { connection } = activate(context);
    expect(connection.state).toBe('attaching');
    expect(attachGateway).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(attachGateway).toHaveBeenCalledTimes(1);
    expect(connection.state).toBe('attaching');
  });

  it('logs its own synchronous duration once, as a line a benchmark can parse', () => {
    activate(context);
    const lines = fake.logLines.filter((l) => l.includes('activate() returned in'));
    expect(lines).toHaveLength(1);
    const match = /^\[info\] activate\(\) returned in (\d+\.\d) ms$/.exec(lines[0]!);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(0);
  });

  it('registers the commands and the views before the Copilot provider', () => {
    activate(context);
    const at = (entry: string) => fake.calls.indexOf(entry);
    const provider = at('mcpProvider:mcplexer');
    expect(provider).toBeGreaterThan(-1);
    for (const id of OWN_COMMANDS) expect(at(`command:${id}`)).toBeGreaterThan(-1);
    expect(Math.max(...OWN_COMMANDS.map((id) => at(`command:${id}`)), at('views:registerViews'))).toBeLessThan(provider);
  });
});

describe('the VS Code version gate of the MCP provider', () => {
  it('1.100: no provider call, no throw, and the commands work', () => {
    for (const version of ['1.100.0', '1.100.3']) {
      resetFake();
      setVersion(version);
      const spy = vi.spyOn(lm, 'registerMcpServerDefinitionProvider');
      expect(() => activate(context)).not.toThrow();
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      for (const id of OWN_COMMANDS) expect(fake.commands.has(id)).toBe(true);
      expect(fake.logLines.some((l) => l.includes(`VS Code ${version} has no MCP server definition provider API`))).toBe(true);
      context.dispose();
      context = fakeContext();
    }
  });

  it('1.101 and later: the provider is registered', () => {
    for (const version of ['1.101.0', '1.103.2', '1.110.1']) {
      resetFake();
      setVersion(version);
      activate(context);
      expect(fake.mcpProviders.has('mcplexer')).toBe(true);
      context.dispose();
      context = fakeContext();
    }
  });

  it('a registration that throws anyway is logged, and activation still succeeds', () => {
    setVersion('1.101.0');
    const spy = vi.spyOn(lm, 'registerMcpServerDefinitionProvider').mockImplementation(() => {
      throw new Error('proposed API');
    });
    expect(() => activate(context)).not.toThrow();
    expect(fake.logLines).toContain('[error] could not register the MCP server definition provider: proposed API');
    expect(fake.commands.has('mcplexer.copyEndpoint')).toBe(true);
    spy.mockRestore();
  });
});
