import type { Dirs } from './paths.js';
import {
  continueEntry,
  geminiHttpEntry,
  opencodeLocalEntry,
  stdioEntry,
  typedHttpEntry,
  urlHttpEntry,
  windsurfHttpEntry,
  zedEntry,
  type EntryShape,
} from './entry.js';

/** How a config file is read and edited (see the format adapters: json-edit, toml-edit, yaml-edit). */
export type ConfigFormatName = 'json' | 'jsonc' | 'toml' | 'yaml';

/**
 * One MCP client, as data: where its config file is on each OS, how it is written, the key that
 * holds its servers, and the entry it reads. `source` is where the path and format come from.
 */
export interface ClientSpec {
  id: string;
  name: string;
  format: ConfigFormatName;
  /** The key path of the servers container (`['mcpServers']`, `['mcp_servers']`, …). */
  key: readonly string[];
  /** Whether the entry is Streamable HTTP (`url` + token header) rather than the stdio bridge. */
  http: boolean;
  entry: EntryShape;
  configPath: (dirs: Dirs) => string;
  /**
   * Paths of which any existing means "detected"; default: the config file's parent directory
   * (the original's rule). Given where the parent says nothing (a home directory always exists).
   */
  detectPaths?: (dirs: Dirs, configPath: string) => string[];
  /** What a missing file starts as (default: empty, so it holds only our entry). */
  newFile?: string;
  /** The documentation the path, key and entry shape come from. */
  source: string;
}

const vscodeUser = (folder: string) => (dirs: Dirs) => dirs.join(dirs.appConfig, folder, 'User', 'mcp.json');

/** Every client MCPlexer can install into, in the order `GET /mcp-install/status` lists them. */
export const CLIENTS: readonly ClientSpec[] = [
  {
    id: 'claude_desktop',
    name: 'Claude Desktop',
    format: 'json',
    key: ['mcpServers'],
    http: false, // its config file launches local commands only (remote servers are added in its UI)
    entry: stdioEntry,
    configPath: (d) => d.join(d.appConfig, 'Claude', 'claude_desktop_config.json'),
    source: 'https://modelcontextprotocol.io/quickstart/user (claude_desktop_config.json per OS)',
  },
  {
    id: 'claude_code',
    name: 'Claude Code',
    format: 'json',
    key: ['mcpServers'], // user scope; `claude mcp add` without --scope user writes projects[<dir>].mcpServers
    http: true,
    entry: typedHttpEntry('http'),
    configPath: (d) => d.join(d.env.CLAUDE_CONFIG_DIR || d.home, '.claude.json'),
    detectPaths: (d, file) => [file, d.join(d.env.CLAUDE_CONFIG_DIR || d.home, '.claude')],
    source: 'https://docs.anthropic.com/en/docs/claude-code/mcp (user scope in ~/.claude.json; `claude mcp add --transport http`)',
  },
  {
    id: 'cursor',
    name: 'Cursor',
    format: 'json',
    key: ['mcpServers'],
    http: true,
    entry: urlHttpEntry,
    configPath: (d) => d.join(d.home, '.cursor', 'mcp.json'),
    source: 'https://docs.cursor.com/context/model-context-protocol (global ~/.cursor/mcp.json; url + headers)',
  },
  {
    id: 'windsurf',
    name: 'Windsurf',
    format: 'json',
    key: ['mcpServers'],
    http: true,
    entry: windsurfHttpEntry,
    configPath: (d) => d.join(d.home, '.codeium', 'windsurf', 'mcp_config.json'),
    source: 'https://docs.windsurf.com/windsurf/cascade/mcp (~/.codeium/windsurf/mcp_config.json; serverUrl + headers)',
  },
  {
    id: 'codex',
    name: 'Codex',
    format: 'toml',
    key: ['mcp_servers'],
    http: false, // `codex mcp add --url` needs bearer_token_env_var, a variable the user must export; the bridge finds the token itself
    entry: stdioEntry,
    configPath: (d) => d.join(d.env.CODEX_HOME || d.join(d.home, '.codex'), 'config.toml'),
    source: 'https://github.com/openai/codex/blob/main/docs/config.md#mcp_servers ($CODEX_HOME/config.toml, [mcp_servers.<name>])',
  },
  {
    id: 'opencode',
    name: 'opencode',
    format: 'jsonc',
    key: ['mcp'],
    http: false,
    entry: opencodeLocalEntry,
    configPath: (d) => d.join(d.xdgConfig, 'opencode', 'opencode.json'),
    source: 'https://opencode.ai/docs/mcp-servers/ (key mcp; {"type":"local","command":[…],"environment"}; ~/.config/opencode/opencode.json)',
  },
  {
    id: 'gemini_cli',
    name: 'Gemini CLI',
    format: 'json',
    key: ['mcpServers'],
    http: true,
    entry: geminiHttpEntry,
    // The user file: a project's .gemini/settings.json is ignored until its folder is trusted.
    // GEMINI_CLI_HOME replaces the home folder for everything Gemini CLI keeps (its Storage.homedir()).
    configPath: (d) => d.join(d.env.GEMINI_CLI_HOME || d.home, '.gemini', 'settings.json'),
    source:
      'https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md (~/.gemini/settings.json, $GEMINI_CLI_HOME/.gemini/settings.json; as `gemini mcp add` writes)',
  },
  {
    id: 'vscode',
    name: 'VS Code',
    format: 'jsonc',
    key: ['servers'],
    http: true,
    entry: typedHttpEntry('http'),
    configPath: vscodeUser('Code'),
    source: 'https://code.visualstudio.com/docs/copilot/chat/mcp-servers (user mcp.json, key servers, type http)',
  },
  {
    id: 'vscode_insiders',
    name: 'VS Code Insiders',
    format: 'jsonc',
    key: ['servers'],
    http: true,
    entry: typedHttpEntry('http'),
    configPath: vscodeUser('Code - Insiders'),
    source: 'https://code.visualstudio.com/docs/copilot/chat/mcp-servers (the Insiders build keeps its user data under "Code - Insiders")',
  },
  {
    id: 'vscodium',
    name: 'VSCodium',
    format: 'jsonc',
    key: ['servers'],
    http: true,
    entry: typedHttpEntry('http'),
    configPath: vscodeUser('VSCodium'),
    source: 'https://github.com/VSCodium/vscodium/blob/master/docs/index.md (user data under "VSCodium"; mcp.json as VS Code)',
  },
  {
    id: 'zed',
    name: 'Zed',
    format: 'jsonc',
    key: ['context_servers'],
    http: false,
    entry: zedEntry,
    configPath: (d) => (d.platform === 'win32' ? d.join(d.appConfig, 'Zed', 'settings.json') : d.join(d.xdgConfig, 'zed', 'settings.json')),
    source: 'https://zed.dev/docs/ai/mcp and https://zed.dev/docs/configuring-zed (settings.json, key context_servers)',
  },
  {
    id: 'cline',
    name: 'Cline',
    format: 'json',
    key: ['mcpServers'],
    http: false, // the stdio shape is the one every Cline version reads (its remote transport names changed)
    entry: stdioEntry,
    configPath: (d) => d.join(d.appConfig, 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'),
    source: 'https://docs.cline.bot/mcp/configuring-mcp-servers (cline_mcp_settings.json in the extension global storage)',
  },
  {
    id: 'continue',
    name: 'Continue',
    format: 'yaml',
    key: ['mcpServers'],
    http: false,
    entry: continueEntry,
    configPath: (d) => d.join(d.home, '.continue', 'config.yaml'),
    // The top-level fields Continue's config.yaml requires.
    newFile: 'name: Local Assistant\nversion: 1.0.0\nschema: v1\n',
    source: 'https://docs.continue.dev/reference (~/.continue/config.yaml; mcpServers is a list of {name, type, command, args, env})',
  },
  {
    id: 'lm_studio',
    name: 'LM Studio',
    format: 'json',
    key: ['mcpServers'],
    http: true,
    entry: urlHttpEntry,
    configPath: (d) => d.join(d.home, '.lmstudio', 'mcp.json'),
    source: 'https://lmstudio.ai/docs/app/plugins/mcp (~/.lmstudio/mcp.json, Cursor notation: url + headers)',
  },
];

/** Our entry's name under every client's key. */
export const ENTRY_NAME = 'mcplexer';
/** The original MCPlexer's entry name: install removes it, and it counts as configured. */
export const LEGACY_NAMES: readonly string[] = ['mx'];
