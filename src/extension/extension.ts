import * as vscode from 'vscode';
import { CHAT_VIEW_TYPE } from './chatPanel';
import { RelayController } from './controller';

/**
 * VS Code activates the extension after startup only so that auto-connect can work; the
 * controller (status bar item, log, connection) comes into being on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  let controller: RelayController | undefined;
  const use = (): RelayController => {
    if (!controller) {
      controller = new RelayController(context);
      context.subscriptions.push(controller);
    }
    return controller;
  };
  const command = (id: string, run: (relay: RelayController) => unknown) => vscode.commands.registerCommand(id, () => run(use()));
  context.subscriptions.push(
    command('relay.connect', (relay) => relay.connect()),
    command('relay.disconnect', (relay) => relay.disconnect()),
    command('relay.registerName', (relay) => relay.registerName()),
    command('relay.openChat', (relay) => relay.openChat()),
    command('relay.messagePeer', (relay) => relay.messagePeer()),
    command('relay.sendSelection', (relay) => relay.sendSelection()),
    command('relay.broadcastHint', (relay) => relay.broadcastHint()),
    vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => use().revivePanel(panel),
    }),
  );
  if (vscode.workspace.getConfiguration('relay').get('autoConnect') === true) void use().autoConnect();
}

export function deactivate(): void {}
