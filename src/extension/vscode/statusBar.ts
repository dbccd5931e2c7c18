/** The status bar item: from the start, the way to the chat and how the connection is (../statusBarText.ts). */
import * as vscode from 'vscode';
import type { ConnectionState } from '../../client/connectionTypes';
import { statusBarText, type ClassroomStatus } from '../statusBarText';

export class RelayStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('relay.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = vscode.l10n.t('Relay Chat');
    this.item.command = 'relay.openChat';
    this.update({ kind: 'idle' }, 0);
    this.item.show();
  }

  update(state: ConnectionState, unread: number, classroom?: ClassroomStatus): void {
    const text = statusBarText(state, unread, vscode.l10n.t, classroom);
    this.item.text = text.text;
    this.item.tooltip = text.tooltip;
    this.item.accessibilityInformation = { label: text.label, role: 'button' };
    this.item.backgroundColor = text.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
