/**
 * The chat's webview, the same wherever it shows (the chat view or an editor tab): the built
 * bundle and the stylesheet as webview URIs, a strict Content Security Policy with a fresh
 * nonce, and nothing else it may load.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { makeNonce, panelHtml } from '../chat/panel/panelHtml';

/** Scripts on, local resources from dist/ and media/ only. */
export function chatWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function setUpChatWebview(webview: vscode.Webview, extensionUri: vscode.Uri): void {
  webview.options = chatWebviewOptions(extensionUri);
  webview.html = panelHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css')).toString(),
    nonce: makeNonce(randomBytes),
    lang: vscode.env.language,
    title: vscode.l10n.t('Relay Chat'),
  });
}
