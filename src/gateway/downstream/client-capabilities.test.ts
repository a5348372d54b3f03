import { describe, expect, it } from 'vitest';
import { ALL_CLIENT_CAPABILITIES, advertisedCapabilities, capabilitiesOf, clientCapabilityKey, rootsOf, withRoots } from './client-capabilities.js';

describe('client capability keys', () => {
  it.each([
    [undefined, '', {}],
    [{}, '', {}],
    [{ experimental: { x: {} } }, '', {}],
    [{ sampling: {} }, 'sampling', { sampling: {} }],
    [{ elicitation: {} }, 'elicitation.form', { elicitation: { form: {} } }],
    [{ elicitation: { url: {} } }, 'elicitation.url', { elicitation: { url: {} } }],
    [
      { elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
      'roots,elicitation.form,elicitation.url',
      { roots: {}, elicitation: { form: {}, url: {} } },
    ],
    [{ sampling: { tools: {} }, roots: true }, 'sampling,sampling.tools', { sampling: { tools: {} } }],
  ])('declared %j → key %j, advertised %j', (declared, key, advertised) => {
    expect(clientCapabilityKey(declared)).toBe(key);
    expect(advertisedCapabilities(key)).toEqual(advertised);
  });

  it('is the same key whatever order the client wrote its capabilities in', () => {
    expect(clientCapabilityKey({ roots: {}, sampling: {}, elicitation: {} })).toBe(clientCapabilityKey({ elicitation: {}, sampling: {}, roots: {} }));
  });

  it('keys everything the gateway relays as a fixed point (discovery’s key, whose roots are none)', () => {
    expect(withRoots(clientCapabilityKey(advertisedCapabilities(ALL_CLIENT_CAPABILITIES)), [], 'discovery')).toBe(ALL_CLIENT_CAPABILITIES);
    expect(rootsOf(ALL_CLIENT_CAPABILITIES)).toEqual([]);
  });

  it('carries a session’s roots in its key, and a key of its own while they are unknown; nothing for a client without roots', () => {
    const roots = [{ uri: 'file:///a', name: 'a' }, { uri: 'file:///b' }];
    const key = withRoots('roots,sampling', roots, 's1');
    expect(capabilitiesOf(key)).toBe('roots,sampling');
    expect(rootsOf(key)).toEqual(roots);
    expect(advertisedCapabilities(key)).toEqual({ roots: {}, sampling: {} });
    expect(withRoots('roots,sampling', [{ uri: 'file:///b' }], 's2')).not.toBe(key);
    expect(withRoots('roots,sampling', roots, 's2')).toBe(key);
    // Not yet answered: the session's own key, and no roots to answer with.
    expect(withRoots('roots', undefined, 's1')).not.toBe(withRoots('roots', undefined, 's2'));
    expect(rootsOf(withRoots('roots', undefined, 's1'))).toBeUndefined();
    expect(withRoots('sampling', roots, 's1')).toBe('sampling');
    // A key with roots again keyed with others: the roots part is replaced, not appended.
    expect(withRoots(key, [{ uri: 'file:///c' }], 's1')).toBe('roots,sampling\n[{"uri":"file:///c"}]');
  });
});
