/**
 * The methods an API path answers, read from the OpenAPI document (built from the same route
 * table), so a request with another method is told so: 405 with `Allow` (RFC 9110 §15.5.6), not
 * a 404 that reads as "no such endpoint" (a new user's trial sent PATCH and DELETE where PUT and
 * GET were meant).
 */
import { openApiDocument } from './openapi.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
let routes: Array<{ segments: string[]; methods: string[] }> | undefined;

function table(): Array<{ segments: string[]; methods: string[] }> {
  routes ??= Object.entries((openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths).map(([path, item]) => ({
    segments: path.split('/'),
    methods: METHODS.filter((m) => m in item).map((m) => m.toUpperCase()),
  }));
  return routes;
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/**
 * @param path the path below `/api/v1` (`/workspaces/global`)
 * @returns the methods of every route template the path matches (with HEAD beside GET, as Express
 *   answers it), or undefined when none does (a 404 then)
 */
export function allowedMethods(path: string): string[] | undefined {
  const segments = path.split('/');
  const allowed = new Set<string>();
  for (const route of table()) {
    if (route.segments.length !== segments.length) continue;
    if (!route.segments.every((part, i) => isParam(part) || part === segments[i])) continue;
    for (const method of route.methods) allowed.add(method);
  }
  if (allowed.size === 0) return undefined;
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed];
}
