import type * as vscode from 'vscode';
import { deactivateRelay, registerCommands } from './commands';

/**
 * VS Code activates the extension after startup only so that auto-connect can work; the
 * parts (status bar item, log, connection) come into being on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  registerCommands(context);
}

/** VS Code waits for this before it ends the extension host: a hosted classroom relay says goodbye. */
export function deactivate(): Promise<void> {
  return deactivateRelay();
}
