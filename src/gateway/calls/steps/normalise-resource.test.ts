import { describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../runtime-config.js';
import { normaliseCompletionRef, normaliseResource, type NormalisedName } from './normalise.js';

// Only the catalog's lookups are read by these steps.
const server = {
  id: 'gh',
  name: 'GitHub',
  namespace: 'gh',
  enabled: true,
  transport: 'stdio',
  expose_unprefixed: false,
  resources: [],
  resource_templates: [],
};
const config = { catalog: { serverByNamespace: (ns: string) => (ns === 'gh' ? server : undefined), servers: [server] } } as unknown as RuntimeConfig;
const into = (): NormalisedName => ({}) as NormalisedName;

describe('resource URIs and templates', () => {
  it('a URI to read is routed and sent in its normal form', () => {
    const record = into();
    normaliseResource(config, 'mcplexer://gh/REPO://Octo/a/../b%2emd', record);
    expect(record.downstreamName).toBe('repo://octo/b.md');
    expect(record.name).toBe(`gh__${record.downstreamName}`);
  });

  it('a completion’s resource template goes to its server as listed (RFC 3986 normalises URIs, not templates)', () => {
    const record = into();
    const ref = normaliseCompletionRef(config, { type: 'ref/resource', uri: 'mcplexer://gh/Repo://{Owner}.{Repo}/../x' }, record);
    expect(ref.uri).toBe('Repo://{Owner}.{Repo}/../x');
    expect(record.server).toBe(server);
  });
});
