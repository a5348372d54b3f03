/**
 * STAND-IN (hx-views) for E3's `src/extension/gateway-connection.ts`: only the interface the views
 * code against (ISSUE16-CONTRACT.md). At merge, take E3's file (it adds the class).
 */
import type * as vscode from 'vscode';
import type { RestClient } from '../shared/rest-client.js';
import type { GatewayEvent } from '../shared/schemas/daemon.js';

export type GatewayState = 'attaching' | 'ready' | 'error';

export interface GatewayConnection {
  readonly client: RestClient | undefined;
  readonly state: GatewayState;
  readonly url: string | undefined;
  /** This window's folder paths. */
  readonly folders: readonly string[];
  onDidChangeState: vscode.Event<GatewayState>;
  onEvent: vscode.Event<GatewayEvent>;
  restart(): Promise<void>;
}
