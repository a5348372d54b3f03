import { describe, expect, it } from 'vitest';
import { decodedSpelling, normalUri } from './uri-normal-form.js';

describe('normalUri (RFC 3986 §6.2.2)', () => {
  it.each([
    ['X://host/a', 'x://host/a'],
    ['demo://HOST.Example/Path', 'demo://host.example/Path'],
    ['file:///%73ecret.txt', 'file:///secret.txt'],
    ['file:///secret%2etxt', 'file:///secret.txt'],
    ['file:///a%2fb', 'file:///a%2Fb'],
    ['file:///pub/../secret', 'file:///secret'],
    ['file:///pub/./x/../../secret', 'file:///secret'],
    ['demo://resource/dynamic/text/7/../8', 'demo://resource/dynamic/text/8'],
    ['demo://h/a/b/..', 'demo://h/a/'],
    ['demo://h/%7Euser', 'demo://h/~user'],
    ['demo://User:Pw@HOST:80/x', 'demo://User:Pw@host:80/x'],
    ['demo://h/x?q=%41&a=..#F%2f', 'demo://h/x?q=A&a=..#F%2F'],
    ['urn:isbn:0451450523', 'urn:isbn:0451450523'],
    ['demo://{Host}/{+path}', 'demo://{Host}/{+path}'],
    ['plain text %zz', 'plain text %zz'],
  ])('%s → %s', (given, normal) => {
    expect(normalUri(given)).toBe(normal);
    expect(normalUri(normal)).toBe(normal);
  });

  it('keeps an already normal URI as the same string', () => {
    const uri = 'demo://resource/static/document/architecture.md';
    expect(normalUri(uri)).toBe(uri);
  });
});

describe('decodedSpelling', () => {
  it('decodes every percent-encoding, reserved ones too', () => {
    expect(decodedSpelling('file:///secret%2Fkey')).toBe('file:///secret/key');
    expect(decodedSpelling('file:///caf%C3%A9')).toBe('file:///café');
  });
  it('decodes the ASCII ones of a URI that is not valid UTF-8 when decoded', () => {
    expect(decodedSpelling('file:///a%2Fb%FF')).toBe('file:///a/b%FF');
  });
});
