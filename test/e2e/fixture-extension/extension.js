// The harness's fixture: a status bar item, a command that shows a notification, and a webview view,
// each with a fixed text the end-to-end test looks for, plus a detached child process that leaves the
// extension host's process group the way the gateway daemon will (the harness's stop() must still end
// it). Plain CommonJS: nothing to build.
const { spawn } = require('node:child_process');
const vscode = require('vscode');

function activate(context) {
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)', 'e2e-fixture-detached-child'], { detached: true, stdio: 'ignore' }).unref();

  const item = vscode.window.createStatusBarItem('e2eFixture.status', vscode.StatusBarAlignment.Left, 100);
  item.name = 'E2E Fixture';
  item.text = '$(beaker) E2E Fixture Ready';
  item.command = 'e2eFixture.sayHello';
  item.show();
  context.subscriptions.push(item);

  context.subscriptions.push(vscode.commands.registerCommand('e2eFixture.sayHello', () => vscode.window.showInformationMessage('Hello from the E2E fixture')));

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('e2eFixture.view', {
      resolveWebviewView(view) {
        view.webview.options = { enableScripts: false };
        view.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${view.webview.cspSource} 'unsafe-inline';"></head><body><h1 id="greeting" style="color: var(--vscode-foreground)">Fixture webview says hi</h1></body></html>`;
      },
    }),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
