/** The context keys package.json's `when` clauses read; each is set in VS Code only when it changes. */
import * as vscode from 'vscode';

export const CONTEXT_KEYS = { teacher: 'relay.teacher', handUp: 'relay.handUp', hosting: 'relay.hosting' } as const;

export type ContextKey = (typeof CONTEXT_KEYS)[keyof typeof CONTEXT_KEYS];

export class ContextKeys {
  private readonly values = new Map<ContextKey, boolean>();

  set(key: ContextKey, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  /** Every key false: the menus are as before the extension ran. */
  clear(): void {
    for (const key of Object.values(CONTEXT_KEYS)) this.set(key, false);
  }
}
