import { describe, expect, it } from 'vitest';
import { CLIENTS } from './registry.js';
import { dirsFor, type Platform } from './paths.js';

const configPath = (id: string, env: NodeJS.ProcessEnv, platform: Platform = 'linux') => CLIENTS.find((c) => c.id === id)!.configPath(dirsFor(env, platform));

describe('config paths honour the folder overrides each client reads itself', () => {
  it.each([
    ['gemini_cli', 'GEMINI_CLI_HOME', '/u/.gemini/settings.json', '/g/.gemini/settings.json'],
    ['claude_code', 'CLAUDE_CONFIG_DIR', '/u/.claude.json', '/g/.claude.json'],
    ['codex', 'CODEX_HOME', '/u/.codex/config.toml', '/g/config.toml'],
  ])('%s: %s replaces the default folder', (id, variable, byDefault, overridden) => {
    expect(configPath(id, { HOME: '/u' })).toBe(byDefault);
    expect(configPath(id, { HOME: '/u', [variable]: '/g' })).toBe(overridden);
    expect(configPath(id, { HOME: '/u', [variable]: '' })).toBe(byDefault);
  });

  it('on Windows too, with its own separators', () => {
    expect(configPath('gemini_cli', { USERPROFILE: 'C:\\Users\\u', GEMINI_CLI_HOME: 'D:\\g' }, 'win32')).toBe('D:\\g\\.gemini\\settings.json');
    expect(configPath('gemini_cli', { USERPROFILE: 'C:\\Users\\u' }, 'win32')).toBe('C:\\Users\\u\\.gemini\\settings.json');
  });
});
