import * as vscode from 'vscode';
import { ApiError } from '../shared/rest-client.js';
import type { DaemonConnection } from './gateway-connection.js';
import { decideBudget, fitWindowSet, planDynamic, type BudgetDecision, type BudgetServer } from './tool-budget.js';
import { showWarning } from './notify.js';

export const WINDOW_SET_KEY = 'mcplexer.copilot.windowServers';
const NOTICE_KEY = 'mcplexer.copilot.budgetNoticeShown';

/**
 * The window's side of the tool budget (tool-budget.ts holds the logic): counts what the window
 * would see through `/visibility`, keeps the decision the MCP provider sends, says once when the
 * budget is exceeded and offers the two ways out.
 */
export class ToolBudget implements vscode.Disposable {
  decision: BudgetDecision | undefined;
  servers: BudgetServer[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsupported = false;

  constructor(
    private readonly connection: DaemonConnection,
    private readonly state: vscode.Memento,
    private readonly budget: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Recounts soon (events come in bursts), then tells the provider the tool set changed. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().then(() => this.changed.fire()), 300);
  }

  /** Counts the window's tools and decides what the definition sends. */
  async refresh(): Promise<BudgetDecision | undefined> {
    const client = this.connection.client;
    if (!client || this.unsupported) return this.decision;
    try {
      const visibility = await client.visibility({ dir: [...this.connection.folders] });
      this.servers = visibility.servers;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.unsupported = true;
        this.log.warn('this gateway cannot count a window’s tools (GET /api/v1/visibility answered 404): the Copilot tool budget is not checked');
        return undefined;
      }
      this.log.warn(`could not count this window's tools: ${(error as Error).message}`);
      return this.decision;
    }
    this.decision = decideBudget(this.servers, this.budget(), this.state.get<string[]>(WINDOW_SET_KEY));
    if (!this.decision.over) await this.state.update(NOTICE_KEY, undefined);
    else if (!this.state.get<boolean>(NOTICE_KEY)) {
      await this.state.update(NOTICE_KEY, true);
      void this.offer();
    }
    return this.decision;
  }

  /** Says once that the window's tools exceed the budget, with the two ways out. */
  async offer(): Promise<void> {
    const d = this.decision;
    if (!d) return;
    const dynamic = 'Make the largest servers dynamic';
    const pick = 'Choose servers for this window';
    const answer = await showWarning(
      `MCPlexer: this window would give Copilot ${d.total} tools, over the budget of ${this.budget()} (mcplexer.copilot.toolBudget). ` +
        `Copilot gets ${d.listed}; left out: ${d.leftOut.map((s) => s.name).join(', ') || 'none'}.`,
      dynamic,
      pick,
    );
    if (answer === dynamic) await this.makeDynamic();
    else if (answer === pick) await this.chooseServers();
  }

  async makeDynamic(): Promise<void> {
    const client = this.connection.client;
    const largest = planDynamic(this.servers, this.budget());
    if (!client || largest.length === 0) return;
    const names = largest.map((s) => `${s.name} (${s.tools_visible} tools)`).join(', ');
    const ok = await showWarning(
      `Switch ${names} to discovery "dynamic"? Their tools are then found through mcpx__search_tools, for every client of the gateway.`,
      { modal: true },
      'Switch',
    );
    if (ok !== 'Switch') return;
    for (const server of largest) await client.updateDownstream(server.server_id, { discovery: 'dynamic' });
    this.log.info(`switched to discovery "dynamic": ${names}`);
    await this.refresh();
    this.changed.fire();
  }

  async chooseServers(): Promise<void> {
    const current = new Set(this.decision?.serversHeader?.split(',') ?? this.servers.map((s) => s.server_id));
    const items = this.servers
      .filter((s) => s.tools_visible > 0 && s.namespace !== 'mcpx')
      .map((s) => ({ label: s.name, description: `${s.tools_visible} tools`, id: s.server_id, picked: current.has(s.server_id) }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: `MCPlexer: servers Copilot sees in this window (budget ${this.budget()} tools)`,
    });
    if (!picked) return;
    const set = fitWindowSet(
      this.servers,
      this.budget(),
      picked.map((p) => p.id),
    );
    await this.state.update(
      WINDOW_SET_KEY,
      picked.map((p) => p.id),
    );
    if (set.leftOut.some((s) => picked.some((p) => p.id === s.server_id)))
      void showWarning(
        `MCPlexer: ${set.leftOut
          .filter((s) => picked.some((p) => p.id === s.server_id))
          .map((s) => s.name)
          .join(', ')} left out: the chosen servers have more than ${this.budget()} tools together.`,
      );
    await this.refresh();
    this.changed.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}
