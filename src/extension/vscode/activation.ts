/**
 * Wires the extension's parts to VS Code: their services, the commands, the status bar, the
 * class roster, the context keys the menus read, the chat view, the restored chat in an editor
 * tab and the settings. The status bar item shows from the start; the parts come into being on
 * first use (a command, or the chat view shown).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CertificateTrust } from './certificateTrust';
import { ChatPanel, CHAT_VIEW_TYPE } from './chatPanel';
import { CHAT_VIEW_ID, ChatView, showChatView } from './chatView';
import { NodeHistoryFiles } from '../chat/history/historyFiles';
import { RelayParts } from '../relayParts';
import type { RosterNode } from '../classroom/rosterTree';
import { vscodePrompts } from './prompts';
import { RosterView } from './rosterView';
import { RelayStatusBar } from './statusBar';
import { outputLog, SettingsReader, systemClock, VsCodeEditors, vscodeNotices } from './services';

const t = vscode.l10n.t;

/** The context keys of package.json's `when` clauses. */
const CONTEXT = { teacher: 'relay.teacher', handUp: 'relay.handUp', hosting: 'relay.hosting' } as const;

/** The parts with what VS Code gives them; everything here is disposed with it. */
class Relay implements vscode.Disposable {
  readonly parts: RelayParts;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly context = new Map<string, boolean>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly roster: RosterView,
    statusBar: RelayStatusBar,
  ) {
    const channel = vscode.window.createOutputChannel(t('Relay'), { log: true });
    const log = outputLog(channel);
    const settings = new SettingsReader(log, () => this.parts.session.settingsChanged());
    const editors = new VsCodeEditors();
    this.parts = new RelayParts({
      t,
      prompts: vscodePrompts,
      notices: vscodeNotices,
      storage: context.globalState,
      historyFiles: new NodeHistoryFiles(join(context.globalStorageUri.fsPath, 'history')),
      secrets: context.secrets,
      clock: systemClock,
      log,
      editors,
      trust: new CertificateTrust(context.globalState),
      settings: () => settings.settings,
      saveName: (name) => settings.saveName(name),
      createPanel: (events) => ChatPanel.create(context.extensionUri, events),
      showView: showChatView,
    });
    const { lifecycle, session, classroom, hosting } = this.parts;
    const showStatus = () =>
      statusBar.update(lifecycle.state, session.totalUnread, {
        role: classroom.role,
        standing: classroom.standing,
        now: new Date(),
      });
    const showClass = () => {
      roster.update(classroom.isTeacher ? classroom.roster : undefined, hosting.hosted?.addresses);
      this.setContext(CONTEXT.teacher, classroom.isTeacher);
      this.setContext(CONTEXT.handUp, classroom.standing.hand !== undefined);
      this.setContext(CONTEXT.hosting, hosting.hosted !== undefined);
    };
    this.disposables.push(
      session.onUpdate(showStatus),
      classroom.onUpdate(() => {
        showStatus();
        showClass();
      }),
      lifecycle.onEvent(showClass),
      hosting.onChange(showClass),
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
    this.roster.update(undefined, undefined);
    for (const key of Object.values(CONTEXT)) this.setContext(key, false);
  }

  private setContext(key: string, value: boolean): void {
    if (this.context.get(key) === value) return;
    this.context.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }
}

let active: Relay | undefined;

export function registerCommands(context: vscode.ExtensionContext): void {
  const roster = new RosterView();
  // The way in for a student who has not used the extension yet: it opens the chat.
  const statusBar = new RelayStatusBar();
  context.subscriptions.push(roster, statusBar);
  const use = (): RelayParts => {
    if (!active) {
      active = new Relay(context, roster, statusBar);
      context.subscriptions.push(active);
    }
    return active.parts;
  };
  const command = (id: string, run: (parts: RelayParts) => unknown) =>
    vscode.commands.registerCommand(id, () => run(use()));
  /** A command of a roster row: it acts on that student (or the selected one). */
  const onStudent = (id: string, run: (parts: RelayParts, name: string) => unknown) =>
    vscode.commands.registerCommand(id, (node?: RosterNode) => {
      const student = roster.target(node);
      if (student) return run(use(), student.name);
      return undefined;
    });
  context.subscriptions.push(
    command('relay.connect', (parts) => parts.lifecycle.connect()),
    command('relay.disconnect', (parts) => parts.lifecycle.disconnect()),
    command('relay.registerName', (parts) => parts.lifecycle.registerName()),
    command('relay.openChat', (parts) => parts.panel.open()),
    command('relay.openChatInEditor', (parts) => parts.panel.open(undefined, { place: 'editor' })),
    command('relay.markAllRead', (parts) => parts.session.markAllRead()),
    command('relay.messagePeer', (parts) => parts.send.messagePeer()),
    command('relay.sendSelection', (parts) => parts.snippets.sendSelection()),
    command('relay.broadcastHint', (parts) => parts.send.broadcastHint()),
    command('relay.enterTeacherKey', (parts) => parts.keys.enter()),
    command('relay.forgetTeacherKey', (parts) => parts.keys.forget()),
    command('relay.clearHints', (parts) => parts.classroom.clearHints()),
    command('relay.raiseHand', (parts) => parts.classroom.raiseHand()),
    command('relay.lowerHand', (parts) => parts.classroom.lowerHand()),
    command('relay.hostClassroom', (parts) => parts.hosting.host()),
    command('relay.stopHosting', (parts) => parts.hosting.stop()),
    onStudent('relay.roster.message', (parts, name) => parts.classroom.message(name)),
    onStudent('relay.roster.mute', (parts, name) => parts.classroom.mute(name)),
    onStudent('relay.roster.unmute', (parts, name) => parts.classroom.unmute(name)),
    onStudent('relay.roster.disconnect', (parts, name) => parts.classroom.disconnect(name)),
    onStudent('relay.roster.lowerHand', (parts, name) => parts.classroom.lowerHandOf(name)),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, {
      resolveWebviewView: (view, resolved) =>
        use().panel.adoptView((events) => new ChatView(view, context.extensionUri, events), resolved.state),
    }),
    vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) =>
        use().panel.revive((events) => ChatPanel.revive(panel, context.extensionUri, events), state),
    }),
  );
  if (vscode.workspace.getConfiguration('relay').get('autoConnect') === true) void use().lifecycle.autoConnect();
}

/** When VS Code closes: a hosted classroom stops, and its clients are told why. */
export async function deactivateRelay(): Promise<void> {
  await active?.stopHosting();
}
