/**
 * mcp-install on the wire (the REST reference's MCP Install section): the clients' states, the
 * preview, and what install and uninstall answer. Objects are not strict, so a newer gateway's
 * extra fields pass.
 */
import { z } from 'zod';

export const clientStateSchema = z.object({
  /** The registry's id (`claude_desktop`, `claude_code`, `cursor`, `codex`, …). */
  id: z.string(),
  name: z.string(),
  config_path: z.string(),
  /** The client is on this machine (its config folder exists, or what the registry names for it). */
  detected: z.boolean(),
  /** A `mcplexer` entry is present, or a legacy `mx` one whose content shows it is MCPlexer's. */
  configured: z.boolean(),
  /** Configured, but not with the entry install would write now (port, token or runtime path changed; or an entry MCPlexer did not write). */
  stale: z.boolean(),
  /** Present when the config file cannot be read (409 naming the reason) or parsed (422); install and uninstall then refuse. */
  error: z.string().optional(),
  /** Present when the `mcplexer` entry was not written by MCPlexer: what it runs, and that install replaces (or replaced) it. */
  note: z.string().optional(),
});
export type ClientStateAnswer = z.infer<typeof clientStateSchema>;

export const installStatusSchema = z.object({
  clients: z.array(clientStateSchema),
  /** The stdio bridge stdio entries run (`<data dir>/bin/mcplexer-cli.js`). */
  binary_path: z.string(),
  /** The stdio entry `{command, args, env}`, for a client the registry does not know. */
  server_entry: z.record(z.string(), z.unknown()),
  /** The home directory the config paths are under (the gateway's user's); absent from gateways before Dec 2026. */
  home: z.string().optional(),
  /**
   * The environment variables that move clients' config files (`CLIENT_PATH_VARIABLES`) as the
   * gateway sees them, null when unset; absent from gateways before Dec 2026.
   */
  path_variables: z.record(z.string(), z.string().nullable()).optional(),
});
export type InstallStatusAnswer = z.infer<typeof installStatusSchema>;

export const installPreviewSchema = z.object({
  config_path: z.string(),
  /** The whole file as install would write it. */
  content: z.string(),
  /** A unified diff from the current file; empty when install would change nothing. */
  diff: z.string(),
});
export type InstallPreviewAnswer = z.infer<typeof installPreviewSchema>;

/** Variables that move a client's config file (Claude Code, Codex, Gemini CLI, and the XDG config folder of others). */
export const CLIENT_PATH_VARIABLES = ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME', 'XDG_CONFIG_HOME'] as const;
