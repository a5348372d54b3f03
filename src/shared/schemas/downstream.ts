import { z } from 'zod';
import { entityMeta, idSchema, nameSchema, stringMapSchema } from './common.js';

/** Namespaces prefix tool names as `namespace__tool`; dispatch splits on the first `__`. */
export const namespaceSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must match ^[a-z0-9][a-z0-9_-]*$ (lowercase letters, digits, "_" and "-")')
  .refine((value) => !value.includes('__'), 'must not contain "__" (it separates the namespace from the tool name)');

export const transportSchema = z.enum(['stdio', 'http', 'internal']);
export const discoverySchema = z.enum(['static', 'dynamic']);

export const cacheConfigSchema = z.strictObject({
  enabled: z.boolean().optional(),
  read_ttl_sec: z.number().int().optional(),
  cacheable_patterns: z.array(z.string()).optional(),
  mutation_patterns: z.array(z.string()).optional(),
  invalidation_rules: z.array(z.object({ mutation_pattern: z.string(), invalidate_pattern: z.string() })).optional(),
  max_entries: z.number().int().min(1).optional(),
});

/** What discovery stored: the downstream's own lists, unprefixed, exactly as it returned them. */
export const discoveredSchema = {
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

const editable = {
  name: nameSchema,
  transport: z.enum(['stdio', 'http']),
  command: z.string().min(1, 'must not be empty'),
  args: z.array(z.string()),
  env: stringMapSchema,
  cwd: z.string().min(1, 'must not be empty'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  headers: stringMapSchema,
  namespace: namespaceSchema,
  enabled: z.boolean(),
  idle_timeout_sec: z.number().int().min(0).max(86_400),
  call_timeout_sec: z.number().int().min(1).max(86_400),
  discovery: discoverySchema,
  expose_unprefixed: z.boolean(),
  max_instances: z.number().int().min(1).max(16),
  restart_policy: z.string(),
  cache_config: cacheConfigSchema,
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
    cache_config: editable.cache_config.optional(),
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
