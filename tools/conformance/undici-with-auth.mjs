// Guarantees: undici exactly as installed, except that `request` adds the Authorization header
// that auth-preload.mjs set up to requests for the target origin (unless one is already set).
// Only auth-preload.mjs's resolve hook hands this module out in place of `undici`.
import * as undici from 'undici';

export * from 'undici';
export default undici.default;

function hasAuthorization(headers) {
  if (Array.isArray(headers)) return headers.some((value, i) => i % 2 === 0 && String(value).toLowerCase() === 'authorization');
  return Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
}

export function request(url, options = {}, ...rest) {
  const auth = globalThis.__mcplexerConformanceAuth;
  const href = typeof url === 'object' && !(url instanceof URL) ? new URL(url.path ?? '/', url.origin).href : String(url);
  if (!auth || new URL(href).origin !== auth.origin) return undici.request(url, options, ...rest);
  const headers = options.headers ?? {};
  if (hasAuthorization(headers)) return undici.request(url, options, ...rest);
  const withAuth = Array.isArray(headers) ? [...headers, 'authorization', auth.authorization] : { ...headers, authorization: auth.authorization };
  return undici.request(url, { ...options, headers: withAuth }, ...rest);
}
