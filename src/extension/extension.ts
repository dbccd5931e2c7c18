import type * as vscode from 'vscode';
import { registerCommands } from './commands';

/**
 * VS Code activates the extension after startup only so that auto-connect can work; the
 * parts (status bar item, log, connection) come into being on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  registerCommands(context);
}

export function deactivate(): void {}
