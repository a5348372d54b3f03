// The MCP server definition provider API of VS Code 1.101 (finalised in vscode.d.ts 1.101), declared
// here because @types/vscode is pinned to 1.100.0 to match `engines.vscode: ^1.100.0`. At runtime
// these exist only from 1.101 on: callers gate on `vscode.version` (see mcp-provider.ts).
import 'vscode';

declare module 'vscode' {
  /** An MCP server the editor starts as a child process and talks to over stdio. */
  export class McpStdioServerDefinition {
    readonly label: string;
    cwd?: Uri;
    command: string;
    args: string[];
    env: Record<string, string | number | null>;
    version?: string;
    constructor(label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string);
  }

  /** An MCP server reached over Streamable HTTP: the editor POSTs to `uri` to begin each session. */
  export class McpHttpServerDefinition {
    readonly label: string;
    uri: Uri;
    headers: Record<string, string>;
    /** When this changes, the editor tells the user the tools changed and offers to refresh them. */
    version?: string;
    constructor(label: string, uri: Uri, headers?: Record<string, string>, version?: string);
  }

  export type McpServerDefinition = McpStdioServerDefinition | McpHttpServerDefinition;

  export interface McpServerDefinitionProvider<T extends McpServerDefinition = McpServerDefinition> {
    readonly onDidChangeMcpServerDefinitions?: Event<void>;
    /** Called eagerly: no user interaction here. */
    provideMcpServerDefinitions(token: CancellationToken): ProviderResult<T[]>;
    /** Called before the editor starts the server: may authenticate and fill in non-readonly fields. */
    resolveMcpServerDefinition?(server: T, token: CancellationToken): ProviderResult<T>;
  }

  export namespace lm {
    /** Needs `contributes.mcpServerDefinitionProviders` with the same id in package.json. */
    export function registerMcpServerDefinitionProvider(id: string, provider: McpServerDefinitionProvider): Disposable;
  }
}
