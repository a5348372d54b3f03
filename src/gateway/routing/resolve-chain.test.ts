import { describe, expect, it } from 'vitest';
import { dirWithin, normaliseDir, resolveChain, rootContains, subpathWithin } from './resolve-chain.js';
import { globalWorkspace, workspace } from '../../../test/fixtures/routing/records.js';

const spaces = [
  globalWorkspace(),
  workspace('team', '/work/team'),
  workspace('proj', '/work/team/proj'),
  workspace('m', '/users/m'),
  workspace('example', '/users/example'),
];

const chainOf = (dir: string | undefined, list = spaces) => resolveChain(list, dir).links.map((link) => [link.workspace.id, link.subpath]);

describe('workspace chain', () => {
  it.each([
    [undefined, [['global', '']]],
    ['', [['global', '']]],
    ['/', [['global', '']]],
    ['/tmp', [['global', 'tmp']]],
    [
      '/work/team',
      [
        ['team', ''],
        ['global', 'work/team'],
      ],
    ],
    [
      '/work/team/',
      [
        ['team', ''],
        ['global', 'work/team'],
      ],
    ],
    [
      '/work/team/proj',
      [
        ['proj', ''],
        ['team', 'proj'],
        ['global', 'work/team/proj'],
      ],
    ],
    [
      '/work/team/proj/src/pkg',
      [
        ['proj', 'src/pkg'],
        ['team', 'proj/src/pkg'],
        ['global', 'work/team/proj/src/pkg'],
      ],
    ],
    ['/work/teammate', [['global', 'work/teammate']]],
    [
      '/users/m',
      [
        ['m', ''],
        ['global', 'users/m'],
      ],
    ],
    [
      '/users/example',
      [
        ['example', ''],
        ['global', 'users/example'],
      ],
    ],
    [
      '/users/m/x',
      [
        ['m', 'x'],
        ['global', 'users/m/x'],
      ],
    ],
  ] as const)('dir %j → %j', (dir, expected) => {
    expect(chainOf(dir)).toEqual(expected);
  });

  it('puts global last, exactly once, whatever the input order', () => {
    const reversed = [...spaces].reverse();
    expect(chainOf('/work/team/proj', reversed).map(([id]) => id)).toEqual(['proj', 'team', 'global']);
    expect(chainOf('/x', [...spaces, globalWorkspace('deny')]).filter(([id]) => id === 'global')).toHaveLength(1);
  });

  it('stands in a global when the config has none', () => {
    expect(chainOf('/work/team', spaces.slice(1))).toEqual([
      ['team', ''],
      ['global', 'work/team'],
    ]);
  });

  it('compares Windows paths with either separator and skips empty roots', () => {
    const list = [globalWorkspace(), workspace('win', 'C:\\Users\\m'), workspace('broken', '')];
    expect(chainOf('C:\\Users\\m\\proj', list)).toEqual([
      ['win', 'proj'],
      ['global', 'C:/Users/m/proj'],
    ]);
  });

  it('keys a chain by its normalised directory', () => {
    expect(resolveChain(spaces, '/work/team/').key).toBe(resolveChain(spaces, '/work/team').key);
    expect(resolveChain(spaces, undefined).key).not.toBe(resolveChain(spaces, '/').key);
  });

  it('has string helpers matching the original', () => {
    expect(rootContains('/users/m', '/users/example')).toBe(false);
    expect(rootContains('/users/m', '/users/m')).toBe(true);
    expect(rootContains('/', '/anything')).toBe(true);
    expect(subpathWithin('/a', '/b')).toBe('');
    expect(subpathWithin('/', '/a/b')).toBe('a/b');
    expect(normaliseDir('/a/b//')).toBe('/a/b');
    expect(normaliseDir('/')).toBe('/');
    expect(dirWithin(workspace('p', '/p'), '/src/x/')).toBe('/p/src/x');
    expect(dirWithin(globalWorkspace(), 'a')).toBe('/a');
    expect(dirWithin(workspace('p', '/p'), undefined)).toBe('/p');
  });
});
