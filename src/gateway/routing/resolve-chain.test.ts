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

  it.each([
    ['/work/team/proj/../proj/src', '/work/team/proj/src'],
    ['/work/team/./proj', '/work/team/proj'],
    ['/work/team//proj', '/work/team/proj'],
    ['//work/team/proj/', '/work/team/proj'],
    ['/work/team/proj/x/../../proj/y/..', '/work/team/proj'],
    ['/users/m/../example', '/users/example'],
    ['/work/team/proj/../../..', '/'],
    ['/..', '/'],
    ['C:\\Users\\m\\x\\..\\proj', 'C:/Users/m/proj'],
  ])('resolves . and .. and repeated / lexically: %j is %j, with its chain', (spelt, meant) => {
    expect(normaliseDir(spelt)).toBe(meant);
    expect(chainOf(spelt)).toEqual(chainOf(meant));
    expect(resolveChain(spaces, spelt).key).toBe(resolveChain(spaces, meant).key);
  });

  it('a root written through a symbolic link (/tmp/ws, really /private/tmp/ws) holds a directory given by its real path', () => {
    const list = [globalWorkspace(), workspace('ws', '/tmp/ws')];
    const roots = new Map([['ws', '/private/tmp/ws']]);
    expect(resolveChain(list, '/private/tmp/ws/a', roots).links.map((l) => [l.workspace.id, l.subpath])).toEqual([
      ['ws', 'a'],
      ['global', 'private/tmp/ws/a'],
    ]);
    expect(resolveChain(list, '/tmp/ws/a', roots).links.map((l) => [l.workspace.id, l.subpath])).toEqual([
      ['ws', 'a'],
      ['global', 'tmp/ws/a'],
    ]);
    expect(resolveChain(list, '/private/tmp/other', roots).links.map((l) => l.workspace.id)).toEqual(['global']);
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
