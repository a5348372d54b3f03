import { describe, expect, it } from 'vitest';
import { dirFromRoots } from './client-dir.js';

const roots = (...uris: unknown[]) => uris.map((uri) => ({ uri, name: 'r' }));

describe('dirFromRoots: the directory a client’s roots select', () => {
  it.each([
    ['a file:// root', roots('file:///home/me/proj'), '/home/me/proj'],
    ['a percent-encoded file:// root', roots('file:///home/me/my%20proj'), '/home/me/my proj'],
    ['a vscode-remote root over SSH (code-server)', roots('vscode-remote://ssh-remote+build-host/home/me/proj'), '/home/me/proj'],
    ['a vscode-remote root with an encoded authority and path', roots('vscode-remote://ssh-remote%2Bbuild-host/home/me/my%20proj'), '/home/me/my proj'],
    ['a WSL root', roots('vscode-remote://wsl+Ubuntu/home/me'), '/home/me'],
    ['a dev container root', roots('vscode-remote://dev-container+7b22/workspaces/app'), '/workspaces/app'],
    ['the first usable root of several', roots('untitled:Untitled-1', 'http://x/y', 'file:///a', 'file:///b'), '/a'],
  ])('%s', (_name, given, dir) => {
    expect(dirFromRoots(given)).toEqual({ dir, problem: undefined });
  });

  it.each([
    ['no roots', []],
    ['not a list', { uri: 'file:///a' }],
    ['nothing', undefined],
  ])('%s: no directory and no problem (the session stays where it is)', (_name, given) => {
    expect(dirFromRoots(given)).toEqual({ dir: undefined, problem: undefined });
  });

  it.each([
    ['an http:// root', roots('http://example.com/proj'), 'root "http://example.com/proj" cannot be used: only file:// and vscode-remote:// roots'],
    ['a virtual file system root', roots('vscode-vfs://github/owner/repo'), 'root "vscode-vfs://github/owner/repo" cannot be used'],
    ['a file:// root on another host', roots('file://server/share/proj'), 'root "file://server/share/proj" is not a valid file:// URL of a local directory'],
    [
      'a vscode-remote root without an authority',
      roots('vscode-remote:///home/me'),
      'root "vscode-remote:///home/me" is not a valid vscode-remote://<authority>/<path> URI',
    ],
    ['a root without a uri', roots(42), 'a root without a uri string was ignored'],
  ])('%s: no directory, and the problem names the root and why', (_name, given, problem) => {
    const outcome = dirFromRoots(given);
    expect(outcome.dir).toBeUndefined();
    expect(outcome.problem).toContain(problem);
  });

  it('names every root when none can be used', () => {
    const { problem } = dirFromRoots(roots('http://a/', 'untitled:b'));
    expect(problem).toContain('"http://a/"');
    expect(problem).toContain('"untitled:b"');
  });
});
