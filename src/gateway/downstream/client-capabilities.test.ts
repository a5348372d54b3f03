import { describe, expect, it } from 'vitest';
import { ALL_CLIENT_CAPABILITIES, advertisedCapabilities, clientCapabilityKey } from './client-capabilities.js';

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

  it('keys everything the gateway relays as a fixed point', () => {
    expect(clientCapabilityKey(advertisedCapabilities(ALL_CLIENT_CAPABILITIES))).toBe(ALL_CLIENT_CAPABILITIES);
  });
});
