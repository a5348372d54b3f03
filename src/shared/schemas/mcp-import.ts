/**
 * Importing a client's own MCP servers into MCPlexer, on the wire: `GET /mcp-install/{client}/servers`
 * (what the client's config file holds, and what an import would do with each entry) and
 * `POST /mcp-install/{client}/import` (adds them as downstream servers). A user who already set up
 * servers in Claude Desktop, Cursor or VS Code brings them behind the gateway in one step instead
 * of typing each again. Values of env vars and headers never appear here: they are secrets as
 * often as not, and reach only the gateway's encrypted config. Objects are not strict, so a newer
 * gateway's extra fields pass.
 */
import { z } from 'zod';

/** What an import would do with one entry. */
export const IMPORT_STATUSES = ['new', 'exists', 'ours', 'unsupported'] as const;

export const importableServerSchema = z.object({
  /** The entry's name (its key) in the client's config. */
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  /** The names of the env vars (stdio) the entry sets; values stay in the gateway. */
  env_names: z.array(z.string()),
  /** The names of the HTTP headers (http) the entry sets; values stay in the gateway. */
  header_names: z.array(z.string()),
  /** The namespace an import gives it: its name made a valid namespace, unique among the servers. */
  namespace: z.string(),
  /**
   * `new`: an import adds it. `exists`: a server with the same command and args (or URL) is
   * already in MCPlexer (`existing_server_id`). `ours`: MCPlexer's own entry. `unsupported`: it
   * cannot be imported as it is (`reason` says why and what to do).
   */
  status: z.enum(IMPORT_STATUSES),
  reason: z.string().optional(),
  existing_server_id: z.string().optional(),
  /** Things the import keeps as they are but a person should check (a `${input:…}` VS Code asks for, a disabled entry). */
  warnings: z.array(z.string()).optional(),
});
export type ImportableServer = z.infer<typeof importableServerSchema>;

export const importableServersSchema = z.object({
  /** The registry's client id. */
  client: z.string(),
  config_path: z.string(),
  servers: z.array(importableServerSchema),
});
export type ImportableServersAnswer = z.infer<typeof importableServersSchema>;

/** `POST /mcp-install/{client}/import`'s body: which entries, by name (absent: every `new` one). */
export const importRequestSchema = z
  .object({
    servers: z
      .array(z.string().min(1, 'must not be empty'))
      .min(1, 'must name at least one server, or be left out to import every new one')
      .max(500)
      .optional(),
  })
  .strict();
export type ImportRequest = z.infer<typeof importRequestSchema>;

export const importResultSchema = z.object({
  /** Added, in the config file's order. */
  imported: z.array(z.object({ name: z.string(), server_id: z.string(), namespace: z.string() })),
  /** Named (or new) entries not added, and why (already there, ours, unsupported, not in the file). */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type ImportResult = z.infer<typeof importResultSchema>;
