import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildChildEnv, expandHeaders, expandVars, extendPath } from './child-env.js';

describe('buildChildEnv', () => {
  const gatewayEnv = {
    HOME: '/home/u',
    PATH: '/usr/bin',
    TOKEN: 'from-gateway',
    MCPLEXER_HOME: '/home/u/.mcplexer',
    ELECTRON_RUN_AS_NODE: '1',
    UNSET: undefined,
  };

  it('layers gateway env, extended PATH, server env and scope values, in that order', () => {
    const env = buildChildEnv({
      gatewayEnv,
      serverEnv: { API_URL: 'https://${HOST_NAME}/v1', TOKEN: 'server-${TOKEN}', PLAIN: '$TOKEN' },
      scopeEnv: { TOKEN: 'secret-${TOKEN}' },
      extraPathDirs: ['/usr/local/bin', '/usr/bin'],
    });
    expect(env.HOME).toBe('/home/u');
    expect(env.PATH).toBe(['/usr/bin', '/usr/local/bin'].join(delimiter));
    expect(env.API_URL).toBe('https:///v1');
    expect(env.PLAIN).toBe('$TOKEN');
    expect(env.TOKEN).toBe('secret-${TOKEN}'); // scope values are secrets: never expanded, always win
    expect('UNSET' in env).toBe(false);
  });

  it('withholds the gateway’s own settings and the VS Code runtime switch', () => {
    const env = buildChildEnv({ gatewayEnv, serverEnv: {}, scopeEnv: {}, extraPathDirs: [] });
    expect(env.MCPLEXER_HOME).toBeUndefined();
    expect(env.ELECTRON_RUN_AS_NODE).toBeUndefined();
  });

  it.each([
    ['MCPLEXER_HOME', '${MCPLEXER_HOME}'],
    ['ELECTRON_RUN_AS_NODE', 'a${ELECTRON_RUN_AS_NODE}b'],
  ])('never expands the withheld %s into a server env value or header', (_name, reference) => {
    const env = buildChildEnv({ gatewayEnv, serverEnv: { REF: reference }, scopeEnv: {}, extraPathDirs: [] });
    const expected = reference.replace(/\$\{[A-Z_]+\}/, '');
    expect(env.REF).toBe(expected);
    expect(expandHeaders({ 'X-Ref': reference }, gatewayEnv)).toEqual({ 'X-Ref': expected });
  });

  it('lets the server env set a withheld name explicitly', () => {
    const env = buildChildEnv({ gatewayEnv, serverEnv: { ELECTRON_RUN_AS_NODE: '1' }, scopeEnv: {}, extraPathDirs: [] });
    expect(env.ELECTRON_RUN_AS_NODE).toBe('1');
  });
});

describe('expandVars', () => {
  it.each([
    ['${A}-${B}', 'a-'],
    ['no vars', 'no vars'],
    ['$A ${A', '$A ${A'],
    ['${A}${A}', 'aa'],
  ])('%s → %s', (input, output) => {
    expect(expandVars(input, { A: 'a' })).toBe(output);
  });
});

describe('extendPath', () => {
  it('appends only missing dirs and keeps the existing order', () => {
    const current = ['/b', '/a'].join(delimiter);
    expect(extendPath(current, ['/a', '/c', '/c'])).toBe(['/b', '/a', '/c'].join(delimiter));
  });

  it('works from an empty PATH', () => {
    expect(extendPath('', [join('/x', 'bin')])).toBe('/x/bin');
  });
});

describe('expandVars with names of Object.prototype members (issue 14, fault 10)', () => {
  it('expands only the own variables of the env: ${constructor} and ${toString} are empty unless set', () => {
    expect(expandVars('a${constructor}b${toString}c${hasOwnProperty}', {})).toBe('abc');
    expect(expandVars('${constructor}', { constructor: 'set' } as Record<string, string>)).toBe('set');
    expect(expandVars('${valueOf}', process.env)).toBe('');
  });
});
