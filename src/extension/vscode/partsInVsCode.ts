/**
 * The extension's parts in VS Code for one activation: the RelayParts made with VS Code's
 * services (on first use), shown in the status bar, the class roster and the context keys, and
 * disposed with the extension.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { setDisplayLocale } from '../../protocol/lineTime';
import { NodeHistoryFiles } from '../chat/history/historyFiles';
import { RelayParts } from '../relayParts';
import { CertificateTrust } from './certificateTrust';
import { ChatPanel } from './chatPanel';
import { showChatView } from './chatView';
import { CONTEXT_KEYS, ContextKeys } from './contextKeys';
import { vscodePrompts } from './prompts';
import type { QuestionsView } from './questionsView';
import type { RosterView } from './rosterView';
import { outputLog, SettingsReader, systemClock, VsCodeEditors, vscodeNotices } from './services';
import type { RelayStatusBar } from './statusBar';

const t = vscode.l10n.t;

export class PartsInVsCode implements vscode.Disposable {
  readonly parts: RelayParts;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly contextKeys = new ContextKeys();

  constructor(
    context: vscode.ExtensionContext,
    private readonly views: { roster: RosterView; questions: QuestionsView },
    statusBar: RelayStatusBar,
  ) {
    // Times in the parts' notices (a raised hand, a mute) follow VS Code's display language. Set here as well as at
    // activation: the build loads the parts apart (dist/parts.js), with a copy of lineTime of their own.
    setDisplayLocale(vscode.env.language);
    const channel = vscode.window.createOutputChannel(t('Relay'), { log: true });
    const log = outputLog(channel);
    const settings = new SettingsReader(log, () => this.parts.session.settingsChanged());
    const editors = new VsCodeEditors();
    this.parts = new RelayParts({
      t,
      prompts: vscodePrompts,
      notices: vscodeNotices,
      storage: context.globalState,
      windowStorage: context.workspaceState,
      historyFiles: new NodeHistoryFiles(join(context.globalStorageUri.fsPath, 'history')),
      // The hosted relay keeps its lesson (hints, hands, mutes, counts) across restarts of VS Code here.
      hosting: { relayOptions: { stateDir: join(context.globalStorageUri.fsPath, 'hosted-relay') } },
      secrets: context.secrets,
      clock: systemClock,
      log,
      editors,
      trust: new CertificateTrust(context.globalState),
      settings: () => settings.settings,
      saveName: (name) => settings.saveName(name),
      createPanel: (events) => ChatPanel.create(context.extensionUri, events),
      showView: showChatView,
      showQuestions: () => views.questions.show(),
    });
    const { lifecycle, session, classroom, hosting, questions } = this.parts;
    const showStatus = () =>
      statusBar.update(lifecycle.state, session.totalUnread, {
        role: classroom.role,
        standing: classroom.standing,
        classCode: lifecycle.target?.server.classCode,
        now: new Date(),
      });
    const showClass = () => {
      views.roster.update(classroom.isTeacher ? classroom.roster : undefined, hosting.hosted?.addresses);
      views.questions.update(classroom.isTeacher ? questions.list() : undefined);
      this.contextKeys.set(CONTEXT_KEYS.teacher, classroom.isTeacher);
      this.contextKeys.set(CONTEXT_KEYS.handUp, classroom.standing.hand !== undefined);
      this.contextKeys.set(CONTEXT_KEYS.hosting, hosting.hosted !== undefined);
    };
    this.disposables.push(
      session.onUpdate(showStatus),
      classroom.onUpdate(() => {
        showStatus();
        showClass();
      }),
      lifecycle.onEvent(showClass),
      hosting.onChange(showClass),
      questions.onChange(() => views.questions.update(classroom.isTeacher ? questions.list() : undefined)),
      this.parts,
      settings,
      editors,
      channel,
    );
  }

  /** Stops a hosted classroom, telling its clients; VS Code waits for it when it closes. */
  stopHosting(): Promise<void> {
    return this.parts.hosting.close();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.views.roster.update(undefined, undefined);
    this.views.questions.update(undefined);
    this.contextKeys.clear();
  }
}
