// Guarantees: loaded with `node --import` before the conformance suite, it adds
// `Authorization: Bearer $MCPLEXER_CONFORMANCE_TOKEN` to every HTTP request the suite sends to the
// origin of $MCPLEXER_CONFORMANCE_URL, and to no other origin. It covers both ways the suite sends
// requests: the global `fetch` (the SDK client and most scenarios) and undici's `request`
// (the DNS-rebinding scenario), the latter through a resolve hook that hands the suite a thin
// wrapper of undici. A header the suite sets itself is left as it is. Without both variables set
// it does nothing. It never weakens the target's auth: the token is the target's own.
import { registerHooks } from 'node:module';

const target = process.env.MCPLEXER_CONFORMANCE_URL;
const token = process.env.MCPLEXER_CONFORMANCE_TOKEN;

if (target && token) {
  const origin = new URL(target).origin;
  const authorization = `Bearer ${token}`;
  globalThis.__mcplexerConformanceAuth = { origin, authorization };

  const originalFetch = globalThis.fetch;
  globalThis.fetch = function fetchWithAuth(input, init) {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).origin !== origin) return originalFetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('authorization')) headers.set('authorization', authorization);
    return originalFetch(input, { ...init, headers });
  };

  const shim = new URL('./undici-with-auth.mjs', import.meta.url).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'undici' && context.parentURL !== shim) return { url: shim, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
