/** VS Code's services in the shapes the extension's parts take (../ports.ts). */
import * as vscode from 'vscode';
import { unlinked } from '../notificationText';
import type { Clock, Editors, Log, Notices } from '../ports';
import { readSettings, type RelaySettings } from '../settings';
import type { EditorSelection } from '../chat/snippets';

const t = vscode.l10n.t;

export const vscodeNotices: Notices = {
  info: async (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warning: async (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  error: async (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  confirm: async (message, detail, ...actions) =>
    vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  flash: (message, ms) => {
    vscode.window.setStatusBarMessage(message, ms);
  },
  progress: async (title, task) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task),
};

export const systemClock: Clock = {
  now: () => new Date(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return { dispose: () => clearTimeout(timer) };
  },
};

export function outputLog(channel: vscode.LogOutputChannel): Log {
  return {
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
  };
}

/** The relay.* settings, read again when they change; a bad value is logged and shown, and its default used. */
export class SettingsReader implements vscode.Disposable {
  private current: RelaySettings;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly log: Log,
    changed: () => void,
  ) {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('relay')) return;
      this.current = this.read();
      changed();
    });
  }

  get settings(): RelaySettings {
    return this.current;
  }

  /** A registered name goes into relay.name if the person keeps their name there. */
  async saveName(name: string): Promise<void> {
    const configuration = vscode.workspace.getConfiguration('relay');
    if (configuration.inspect<string>('name')?.globalValue !== undefined)
      await configuration.update('name', name, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private read(): RelaySettings {
    const configuration = vscode.workspace.getConfiguration('relay');
    const { settings, problems } = readSettings((key) => configuration.get(key), t);
    for (const problem of problems) {
      this.log.warn(problem);
      // A setting's value is quoted in the problem, and settings can come from a cloned workspace.
      void vscode.window.showWarningMessage(unlinked(problem));
    }
    return settings;
  }
}

/**
 * A file of the workspace by its path in the workspace; any other file by its name only (never
 * where it lies on this computer).
 */
function sharedPath(uri: vscode.Uri): string {
  if (vscode.workspace.getWorkspaceFolder(uri)) return vscode.workspace.asRelativePath(uri, false);
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** The editors: the active one, or the one last used before the chat took the focus. */
export class VsCodeEditors implements Editors, vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) this.last = editor;
  });

  selection(): EditorSelection | undefined {
    const editor = vscode.window.activeTextEditor ?? this.last;
    if (!editor) return undefined;
    const selection = editor.selection;
    const range = selection.isEmpty ? editor.document.lineAt(selection.active.line).range : selection;
    const uri = editor.document.uri;
    return {
      text: editor.document.getText(range),
      empty: selection.isEmpty,
      languageId: editor.document.languageId,
      path: uri.scheme === 'untitled' ? undefined : sharedPath(uri),
      startLine: range.start.line + 1,
      endLine: range.end.line + 1,
    };
  }

  async copy(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async open(code: string, language: string): Promise<void> {
    const languages = await vscode.languages.getLanguages();
    const document = await vscode.workspace.openTextDocument({
      language: languages.includes(language) ? language : 'plaintext',
      content: code,
    });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  }

  async insert(code: string): Promise<boolean> {
    const editor = this.last && !this.last.document.isClosed ? this.last : vscode.window.visibleTextEditors[0];
    if (!editor) return false;
    const shown = await vscode.window.showTextDocument(editor.document, {
      viewColumn: editor.viewColumn,
      preserveFocus: false,
    });
    await shown.edit((edit) => {
      for (const selection of shown.selections) edit.replace(selection, code);
    });
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
