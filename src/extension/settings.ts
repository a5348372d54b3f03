import * as vscode from 'vscode';
import type { DefaultPolicy } from './folder-mapping.js';

/** The `mcplexer.*` settings (package.json `contributes.configuration` describes each). */
export interface ExtensionSettings {
  /** 8080 (the default) lets the daemon take the next free port when 8080 is held. */
  port: number;
  defaultPolicy: DefaultPolicy;
  idleTimeoutMinutes: number;
  copilotEnabled: boolean;
  toolBudget: number;
  /** `default`: the gateway's own `log_level` setting. */
  logLevel: 'default' | 'debug' | 'info' | 'warn' | 'error';
}

export const DEFAULT_PORT = 8080;

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('mcplexer');
  return {
    port: c.get<number>('port', DEFAULT_PORT),
    defaultPolicy: c.get<DefaultPolicy>('workspace.defaultPolicy', 'allow'),
    idleTimeoutMinutes: c.get<number>('daemon.idleTimeoutMinutes', 30),
    copilotEnabled: c.get<boolean>('copilot.enabled', true),
    toolBudget: c.get<number>('copilot.toolBudget', 128),
    logLevel: c.get<ExtensionSettings['logLevel']>('logLevel', 'default'),
  };
}
