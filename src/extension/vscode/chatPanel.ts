/** The chat in an editor tab ("Relay: Open Chat in Editor"), talking typed messages. */
import * as vscode from 'vscode';
import type { HostToPanel } from '../../protocol/panel';
import { chatWebviewOptions, setUpChatWebview } from './chatWebview';
import type { PanelEvents, PanelView } from '../ports';

export const CHAT_VIEW_TYPE = 'relay.chat';

export class ChatPanel implements PanelView, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    events: PanelEvents,
  ) {
    setUpChatWebview(panel.webview, extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message) => events.message(message)),
      panel.onDidChangeViewState((event) => events.visibility(event.webviewPanel.visible)),
      panel.onDidDispose(() => {
        this.disposed = true;
        this.dispose();
        events.closed();
      }),
    );
  }

  static create(extensionUri: vscode.Uri, events: PanelEvents): ChatPanel {
    const panel = vscode.window.createWebviewPanel(
      CHAT_VIEW_TYPE,
      vscode.l10n.t('Relay Chat'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      {
        ...chatWebviewOptions(extensionUri),
        retainContextWhenHidden: false,
      },
    );
    return new ChatPanel(panel, extensionUri, events);
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, events: PanelEvents): ChatPanel {
    return new ChatPanel(panel, extensionUri, events);
  }

  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  post(message: HostToPanel): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    if (!this.disposed) {
      this.disposed = true;
      this.panel.dispose();
    }
  }
}
