/**
 * The normal form of a resource URI (RFC 3986 §6.2.2, syntax-based normalisation), so that the
 * spelling a rule is matched against is the one the downstream is sent: `X://`, `file:///%73ecret`
 * and `file:///pub/../secret` are `x://`, `file:///secret` and `file:///secret` for both. Before,
 * a deny of `fs__file:///secret*` did not see those variants and the server read the file.
 *
 * - the scheme and the host in lower case (§6.2.2.1; a host holding a template's `{` is kept);
 * - percent-encodings of unreserved characters (`A-Z a-z 0-9 - . _ ~`) decoded, every other
 *   percent-encoding's hex digits in upper case (§6.2.2.2);
 * - dot segments removed from a hierarchical path (§6.2.2.3, the algorithm of §5.2.4).
 *
 * Percent-encodings of reserved characters (`%2F`) stay: they may mean something to the server.
 * `decodedSpelling` gives the URI with every percent-encoding decoded, the second spelling the
 * route decides by (strictest wins), so `secret%2Fkey` cannot pass a deny of `secret/*` either.
 */

// RFC 3986 Appendix B: scheme, authority, path, query, fragment (each group undefined when absent).
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/s;
const PERCENT = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** @param uri a URI as a client sent it; a string that is no URI comes back with only its percent-encodings normalised */
export function normalUri(uri: string): string {
  if (!uri.includes('%') && !uri.includes('.') && !/[A-Z]/.test(uri)) return uri;
  const parts = URI_PARTS.exec(uri);
  if (!parts) return percentNormal(uri);
  const [, scheme, authority, path = '', query = '', fragment = ''] = parts;
  const hierarchical = authority !== undefined || path.startsWith('/');
  let out = scheme === undefined ? '' : `${scheme.toLowerCase()}:`;
  if (authority !== undefined) out += `//${normalAuthority(authority)}`;
  const normalPath = percentNormal(path);
  out += scheme !== undefined && hierarchical ? removeDotSegments(normalPath) : normalPath;
  return out + percentNormal(query) + percentNormal(fragment);
}

/**
 * Every percent-encoding decoded (as UTF-8; where that fails, the ASCII ones only), for routing:
 * never sent to a server.
 */
export function decodedSpelling(uri: string): string {
  if (!uri.includes('%')) return uri;
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri.replace(PERCENT, (match, hex: string) => (parseInt(hex, 16) < 0x80 ? String.fromCharCode(parseInt(hex, 16)) : match));
  }
}

function percentNormal(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(PERCENT, (_match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/** `userinfo@host:port`: the host (a registered name or an IP literal) in lower case; userinfo kept as it is. */
function normalAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : authority.slice(0, at + 1);
  const hostPort = percentNormal(authority.slice(at + 1));
  return percentNormal(userinfo) + (hostPort.includes('{') ? hostPort : hostPort.toLowerCase());
}

/** RFC 3986 §5.2.4 remove_dot_segments. */
function removeDotSegments(path: string): string {
  if (!path.includes('.')) return path;
  let input = path;
  const output: string[] = [];
  while (input.length > 0) {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../')) {
      input = input.slice(3);
      output.pop();
    } else if (input === '/..') {
      input = '/';
      output.pop();
    } else if (input === '.' || input === '..') input = '';
    else {
      const next = input.indexOf('/', input.startsWith('/') ? 1 : 0);
      const segment = next < 0 ? input : input.slice(0, next);
      output.push(segment);
      input = input.slice(segment.length);
    }
  }
  return output.join('');
}
