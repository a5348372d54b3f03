import { z } from 'zod';
import { entityMeta, idSchema, nameSchema, stringMapSchema } from './common.js';

/** Namespaces prefix tool names as `namespace__tool`; dispatch splits on the first `__`. */
export const namespaceSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must match ^[a-z0-9][a-z0-9_-]*$ (lowercase letters, digits, "_" and "-")')
  .refine((value) => !value.includes('__'), 'must not contain "__" (it separates the namespace from the tool name)');

/**
 * The original MCPlexer's prefix for the built-in tools: `mcplexer__x` is called as `mcpx__x`
 * (docs/mcp.md), so a server in this namespace would list tools no call could reach.
 */
export const LEGACY_BUILTIN_NAMESPACE = 'mcplexer';

/** A namespace a user gives a server (create, update, the Add Server form): not the legacy built-in one. */
export const newNamespaceSchema = namespaceSchema.refine(
  (value) => value !== LEGACY_BUILTIN_NAMESPACE,
  `is reserved: "${LEGACY_BUILTIN_NAMESPACE}__" names the built-in mcpx__ tools (the original MCPlexer's prefix); choose another namespace`,
);

export const transportSchema = z.enum(['stdio', 'http', 'internal']);
export const discoverySchema = z.enum(['static', 'dynamic']);

/**
 * The tool-call cache's defaults (ORIGINAL.md "Caches"): the original's, plus `max_bytes`, our
 * byte bound of one server's entries (16 MiB). `read_ttl_sec` 0 never expires; a negative value
 * means the default. `invalidation_rules` are stored, never applied (as the original).
 */
export const CACHE_CONFIG_DEFAULTS = Object.freeze({
  enabled: true,
  read_ttl_sec: 1800,
  cacheable_patterns: Object.freeze(['get_*', 'list_*', 'search_*', 'read_*', 'fetch_*', 'query_*', 'find_*']),
  mutation_patterns: Object.freeze(['create_*', 'update_*', 'delete_*', 'send_*', 'post_*', 'put_*', 'set_*', 'add_*', 'remove_*']),
  invalidation_rules: Object.freeze([] as Array<{ mutation_pattern: string; invalidate_pattern: string }>),
  max_entries: 1000,
  max_bytes: 16 * 1024 * 1024,
});

const cachePattern = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const cachePatterns = z.array(cachePattern).max(100, 'must hold at most 100 patterns');
const invalidationRule = z.strictObject({ mutation_pattern: cachePattern, invalidate_pattern: cachePattern });

/** Stored form: every field optional (older files have none); the cache fills in `CACHE_CONFIG_DEFAULTS`. */
export const cacheConfigSchema = z.strictObject({
  enabled: z.boolean().optional(),
  read_ttl_sec: z.number().int().optional(),
  cacheable_patterns: z.array(z.string()).optional(),
  mutation_patterns: z.array(z.string()).optional(),
  invalidation_rules: z.array(z.object({ mutation_pattern: z.string(), invalidate_pattern: z.string() })).optional(),
  max_entries: z.number().int().min(1).optional(),
  max_bytes: z.number().int().min(1).optional(),
});
export type CacheConfig = z.infer<typeof cacheConfigSchema>;

/** REST and YAML form: a `cache_config` sent is stored whole, the fields left out at their defaults. */
const cacheConfigInputSchema = z.strictObject({
  enabled: z.boolean().default(CACHE_CONFIG_DEFAULTS.enabled),
  read_ttl_sec: z.number().int('must be a whole number of seconds (0 never expires, a negative value means 1800)').default(CACHE_CONFIG_DEFAULTS.read_ttl_sec),
  cacheable_patterns: cachePatterns.default(() => [...CACHE_CONFIG_DEFAULTS.cacheable_patterns]),
  mutation_patterns: cachePatterns.default(() => [...CACHE_CONFIG_DEFAULTS.mutation_patterns]),
  invalidation_rules: z
    .array(invalidationRule)
    .max(100, 'must hold at most 100 rules')
    .default(() => []),
  max_entries: z.number().int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000').default(CACHE_CONFIG_DEFAULTS.max_entries),
  max_bytes: z
    .number()
    .int()
    .min(1024, 'must be at least 1024 bytes')
    .max(1024 * 1024 * 1024, 'must be at most 1073741824 bytes (1 GiB)')
    .default(CACHE_CONFIG_DEFAULTS.max_bytes),
});

/** What discovery stored: the downstream's own lists, unprefixed, exactly as it returned them. */
export const discoveredSchema = {
  /** The server's initialize `instructions` (bounded: `MAX_INSTRUCTIONS_CHARS`), passed on to clients in MCPlexer's own. */
  instructions: z.string().optional(),
  tools: z.array(z.record(z.string(), z.unknown())),
  resources: z.array(z.record(z.string(), z.unknown())),
  resource_templates: z.array(z.record(z.string(), z.unknown())),
  prompts: z.array(z.record(z.string(), z.unknown())),
  discovered_at: z.string().nullable(),
};

export const downstreamSchema = z.object({
  ...entityMeta,
  name: z.string(),
  transport: transportSchema,
  command: z.string().optional(),
  args: z.array(z.string()),
  env: stringMapSchema,
  cwd: z.string().optional(),
  url: z.string().optional(),
  headers: stringMapSchema,
  // Checked on load too, so a hand edit cannot bring in a namespace that dispatch would split wrongly.
  namespace: namespaceSchema,
  enabled: z.boolean(),
  idle_timeout_sec: z.number().int(),
  call_timeout_sec: z.number().int().optional(),
  discovery: discoverySchema,
  expose_unprefixed: z.boolean(),
  max_instances: z.number().int(),
  restart_policy: z.string().optional(),
  cache_config: cacheConfigSchema.optional(),
  ...discoveredSchema,
});
export type DownstreamServer = z.infer<typeof downstreamSchema>;

/**
 * Text handed to a process (command, arguments, environment, working directory): a NUL cannot be
 * passed to one, and was found only when the server was started (a trial: 201, then Node's
 * "must be a string without null bytes" at discovery).
 */
const processText = z.string().refine((text) => !text.includes('\0'), 'must not contain a NUL character (\\u0000): a process cannot be given one');
/** A map whose keys must each pass `test` (the issue names the key: zod's own key check says only "Invalid key in object"). */
function keyedMap(value: z.ZodType<string>, test: RegExp, message: string) {
  return z.record(z.string(), value).superRefine((map, ctx) => {
    for (const key of Object.keys(map)) if (!test.test(key)) ctx.addIssue({ code: 'custom', path: [key], message });
  });
}
/** RFC 9110 §5.5: a field value has no CR, LF or NUL (a line break would start another header). */
const headerValue = z
  .string()
  .refine((value) => !/[\r\n\0]/.test(value), 'a header value must not contain a line break or a NUL character')
  // Sent as bytes (Latin-1): "€" was stored, then every start failed with "Cannot convert argument to a ByteString" (a trial).
  .refine(
    (value) => !/[^\u0000-\u00ff]/.test(value),
    'a header value must hold only Latin-1 characters (HTTP sends bytes): percent-encode others, as a URL would',
  );

const editable = {
  name: nameSchema,
  transport: z.enum(['stdio', 'http']),
  command: processText.min(1, 'must not be empty'),
  args: z.array(processText),
  env: keyedMap(processText, /^[^=\0]+$/, 'an environment variable name must not be empty, nor contain "=" or a NUL character'),
  cwd: processText.min(1, 'must not be empty'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  // RFC 9110 §5.1: a field name is a token.
  headers: keyedMap(headerValue, /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "a header name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~; no spaces)"),
  namespace: newNamespaceSchema,
  enabled: z.boolean(),
  idle_timeout_sec: z.number().int().min(0).max(86_400),
  call_timeout_sec: z.number().int().min(1).max(86_400),
  discovery: discoverySchema,
  expose_unprefixed: z.boolean(),
  max_instances: z.number().int().min(1).max(16),
  restart_policy: z.string(),
  cache_config: cacheConfigInputSchema,
};

export const downstreamCreateSchema = z
  .strictObject({
    id: idSchema.optional(),
    name: editable.name,
    transport: editable.transport.optional(),
    command: editable.command.optional(),
    args: editable.args.default([]),
    env: editable.env.default({}),
    cwd: editable.cwd.optional(),
    url: editable.url.optional(),
    headers: editable.headers.default({}),
    namespace: editable.namespace,
    enabled: editable.enabled.default(true),
    idle_timeout_sec: editable.idle_timeout_sec.default(300),
    call_timeout_sec: editable.call_timeout_sec.optional(),
    discovery: editable.discovery.default('static'),
    expose_unprefixed: editable.expose_unprefixed.default(false),
    max_instances: editable.max_instances.default(1),
    restart_policy: editable.restart_policy.optional(),
    cache_config: editable.cache_config.prefault({}),
  })
  .transform((value) => ({ ...value, transport: value.transport ?? (value.url ? 'http' : 'stdio') }) as typeof value & { transport: 'stdio' | 'http' });
export type DownstreamCreate = z.infer<typeof downstreamCreateSchema>;

export const downstreamUpdateSchema = z.strictObject({
  name: editable.name.optional(),
  transport: editable.transport.optional(),
  command: editable.command.optional(),
  args: editable.args.optional(),
  env: editable.env.optional(),
  cwd: editable.cwd.nullable().optional(),
  url: editable.url.optional(),
  headers: editable.headers.optional(),
  namespace: editable.namespace.optional(),
  enabled: editable.enabled.optional(),
  idle_timeout_sec: editable.idle_timeout_sec.optional(),
  call_timeout_sec: editable.call_timeout_sec.nullable().optional(),
  discovery: editable.discovery.optional(),
  expose_unprefixed: editable.expose_unprefixed.optional(),
  max_instances: editable.max_instances.optional(),
  restart_policy: editable.restart_policy.optional(),
  cache_config: editable.cache_config.optional(),
});
export type DownstreamUpdate = z.infer<typeof downstreamUpdateSchema>;

export const BUILTIN_SERVER_ID = 'mcpx-builtin';
export const BUILTIN_NAMESPACE = 'mcpx';
