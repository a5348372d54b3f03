/**
 * Bad percent-encoding in a path parameter (`/downstreams/%FF`): Express's router throws a
 * URIError from `decodeURIComponent` while matching, before any handler runs. The error map
 * turns it into one 400 that names the parameter, found by matching the raw path against the
 * API's route templates (the OpenAPI paths and the 501 endpoints), so no route handles it itself.
 */
import { GatewayError } from '../errors.js';
import { openApiDocument } from './openapi.js';
import { PENDING_ENDPOINTS } from './routers/not-implemented.js';

const API_PREFIX = '/api/v1';
let templates: string[][] | undefined;

/** Every API route as segments, a parameter written `{name}` or `:name`. */
function routeTemplates(): string[][] {
  templates ??= [...Object.keys((openApiDocument() as { paths: Record<string, unknown> }).paths), ...PENDING_ENDPOINTS.map(([, path]) => path)].map((path) =>
    path.split('/'),
  );
  return templates;
}

function paramName(segment: string | undefined): string | undefined {
  if (segment?.startsWith(':')) return segment.slice(1);
  if (segment?.startsWith('{') && segment.endsWith('}')) return segment.slice(1, -1);
  return undefined;
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false; // exactly the question asked: the caller reports this segment
  }
}

/** The name of the parameter at `index` of a path shaped like `segments`, if a route has one there. */
function nameAt(segments: string[], index: number): string | undefined {
  for (const template of routeTemplates()) {
    if (template.length !== segments.length) continue;
    const name = paramName(template[index]);
    if (name && template.every((part, i) => i === index || paramName(part) !== undefined || part === segments[i])) return name;
  }
  return undefined;
}

/**
 * The 400 for a request path whose parameter is not valid percent-encoded UTF-8.
 * @param originalUrl the request's raw URL (`req.originalUrl`), query included.
 * @returns GatewayError `validation_failed` naming the parameter (detail path = its name).
 */
export function badPathEncoding(originalUrl: string): GatewayError {
  const rawPath = originalUrl.split('?')[0]!;
  const relative = rawPath.startsWith(`${API_PREFIX}/`) ? rawPath.slice(API_PREFIX.length) : rawPath;
  const segments = relative.split('/');
  const index = segments.findIndex((segment) => !decodes(segment));
  const segment = index < 0 ? '' : segments[index]!;
  const shown = segment.length > 80 ? `${segment.slice(0, 80)}…` : segment;
  const name = index < 0 ? undefined : nameAt(segments, index);
  const what = name ? `path parameter "${name}"` : `path segment ${index + 1}`;
  return new GatewayError(
    'validation_failed',
    `${what} ("${shown}") is not valid percent-encoding: encode the value as UTF-8 and percent-escape it (encodeURIComponent does)`,
    { details: [{ path: name ?? `path.${index}`, message: 'invalid percent-encoding' }] },
  );
}
