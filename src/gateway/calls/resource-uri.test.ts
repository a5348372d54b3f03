import { describe, expect, it } from 'vitest';
import { fromGatewayUri, toGatewayUri } from './resource-uri.js';

describe('resource URI mapping', () => {
  it.each(['test://static/resource/1', 'file:///tmp/a b.txt', 'https://x.example/a?b=c#d', 'demo://resource/{id}', 'mcplexer://other/x'])(
    'round-trips %s',
    (uri) => {
      expect(fromGatewayUri(toGatewayUri('everything', uri))).toEqual({ namespace: 'everything', uri });
    },
  );

  it("refuses URIs that are not the gateway's", () => {
    expect(fromGatewayUri('test://static/resource/1')).toBeUndefined();
    expect(fromGatewayUri('mcplexer://nonamespace')).toBeUndefined();
  });
});
