/**
 * The chat beside the code: a webview view in the Classroom Relay view container, which the
 * person can move to the secondary side bar or the panel as VS Code's own chat. VS Code makes
 * it when it first shows (after a reload too, with what the chat saved of how it was looked at).
 */
import * as vscode from 'vscode';
import type { HostToPanel } from '../../protocol/panel';
import { setUpChatWebview } from './chatWebview';
import type { PanelEvents, PanelView } from '../ports';

export const CHAT_VIEW_ID = 'relay.chatView';

export class ChatView implements PanelView {
  private readonly disposables: vscode.Disposable[] = [];
  private gone = false;

  constructor(
    private readonly view: vscode.WebviewView,
    extensionUri: vscode.Uri,
    events: PanelEvents,
  ) {
    setUpChatWebview(view.webview, extensionUri);
    this.disposables.push(
      view.webview.onDidReceiveMessage((message) => events.message(message)),
      view.onDidChangeVisibility(() => events.visibility(view.visible)),
      view.onDidDispose(() => {
        this.gone = true;
        this.dispose();
        events.closed();
      }),
    );
  }

  get visible(): boolean {
    return !this.gone && this.view.visible;
  }

  post(message: HostToPanel): void {
    if (!this.gone) void this.view.webview.postMessage(message);
  }

  reveal(preserveFocus = false): void {
    if (!this.gone) this.view.show(preserveFocus);
  }

  /** Lets go of the view; the view itself is VS Code's (the person closes or moves it). */
  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** Shows the chat view wherever the person put it; VS Code makes it first if it has not yet. */
export function showChatView(preserveFocus: boolean): void {
  void vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`, { preserveFocus });
}
