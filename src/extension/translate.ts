/** vscode.l10n.t's shape: an English message with {0}-style placeholders, translated by the host. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;
