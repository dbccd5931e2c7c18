import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('relay.connect', () => {
      void vscode.window.showInformationMessage(vscode.l10n.t('Classroom Relay: the chat panel is not available in this version yet.'));
    }),
  );
}

export function deactivate(): void {}
