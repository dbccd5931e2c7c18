/** The chat panel: a webview in the editor area, with a strict CSP, talking typed messages. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HostToPanel } from '../protocol/panel';
import { makeNonce, panelHtml } from './core/panelHtml';
import type { PanelEvents, PanelView } from './core/services';

export const CHAT_VIEW_TYPE = 'relay.chat';

export class ChatPanel implements PanelView, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    events: PanelEvents,
  ) {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css')).toString(),
      nonce: makeNonce(randomBytes),
      lang: vscode.env.language,
      title: vscode.l10n.t('Relay Chat'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message) => events.message(message)),
      panel.onDidChangeViewState((event) => events.visibility(event.webviewPanel.visible)),
      panel.onDidDispose(() => {
        this.disposed = true;
        this.dispose();
        events.closed();
      }),
    );
  }

  static create(extensionUri: vscode.Uri, events: PanelEvents): ChatPanel {
    const panel = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, vscode.l10n.t('Relay Chat'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: webviewRoots(extensionUri),
    });
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

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    if (!this.disposed) {
      this.disposed = true;
      this.panel.dispose();
    }
  }
}

/** The webview may load the built bundle and the stylesheet, nothing else. */
function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}
