/** The extension's entry point, as package.json's `main` names it: VS Code calls these two. */
import type * as vscode from 'vscode';
import { activateRelay, deactivateRelay } from './vscode/activation';

/**
 * VS Code activates the extension after startup, so that the status bar item shows the way to
 * the chat and auto-connect can work, or earlier when the chat shows; the parts (log,
 * connection) come into being on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  activateRelay(context);
}

/** VS Code waits for this before it ends the extension host: a hosted classroom relay says goodbye. */
export function deactivate(): Promise<void> {
  return deactivateRelay();
}
