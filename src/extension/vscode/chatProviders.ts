/**
 * How VS Code hands the chat to the parts: the chat view when it first shows (after a reload
 * too), and an editor tab of the chat it restored after a reload.
 */
import * as vscode from 'vscode';
import type { RelayParts } from '../relayParts';
import { ChatPanel, CHAT_VIEW_TYPE } from './chatPanel';
import { CHAT_VIEW_ID, ChatView } from './chatView';

/** `use`: the parts, made on first use. */
export function registerChatProviders(extensionUri: vscode.Uri, use: () => RelayParts): vscode.Disposable[] {
  return [
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, {
      resolveWebviewView: (view, resolved) =>
        use().panel.adoptView((events) => new ChatView(view, extensionUri, events), resolved.state),
    }),
    vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => {
        use().panel.revive((events) => ChatPanel.revive(panel, extensionUri, events), state);
        return Promise.resolve();
      },
    }),
  ];
}
