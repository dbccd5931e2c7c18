/**
 * Wires the extension's parts to VS Code: their services, the commands, the status bar, the
 * restored chat panel and the settings. The parts come into being on first use.
 */
import * as vscode from 'vscode';
import { CertificateTrust } from './certificateTrust';
import { ChatPanel, CHAT_VIEW_TYPE } from './chatPanel';
import { RelayParts } from './core/parts';
import { vscodePrompts } from './prompts';
import { RelayStatusBar } from './statusBar';
import { outputLog, SettingsReader, systemClock, VsCodeEditors, vscodeNotices } from './vscodeServices';

const t = vscode.l10n.t;

/** The parts with what VS Code gives them; everything here is disposed with it. */
class Relay implements vscode.Disposable {
  readonly parts: RelayParts;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext) {
    const channel = vscode.window.createOutputChannel(t('Relay'), { log: true });
    const log = outputLog(channel);
    const settings = new SettingsReader(log, () => this.parts.session.settingsChanged());
    const editors = new VsCodeEditors();
    const statusBar = new RelayStatusBar();
    this.parts = new RelayParts({
      t,
      prompts: vscodePrompts,
      notices: vscodeNotices,
      storage: context.globalState,
      clock: systemClock,
      log,
      editors,
      trust: new CertificateTrust(context.globalState),
      settings: () => settings.settings,
      saveName: (name) => settings.saveName(name),
      createPanel: (events) => ChatPanel.create(context.extensionUri, events),
    });
    const { lifecycle, session } = this.parts;
    this.disposables.push(
      session.onUpdate(() => statusBar.update(lifecycle.state, session.totalUnread)),
      this.parts,
      settings,
      editors,
      statusBar,
      channel,
    );
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

export function registerCommands(context: vscode.ExtensionContext): void {
  let relay: Relay | undefined;
  const use = (): RelayParts => {
    if (!relay) {
      relay = new Relay(context);
      context.subscriptions.push(relay);
    }
    return relay.parts;
  };
  const command = (id: string, run: (parts: RelayParts) => unknown) => vscode.commands.registerCommand(id, () => run(use()));
  context.subscriptions.push(
    command('relay.connect', (parts) => parts.lifecycle.connect()),
    command('relay.disconnect', (parts) => parts.lifecycle.disconnect()),
    command('relay.registerName', (parts) => parts.lifecycle.registerName()),
    command('relay.openChat', (parts) => parts.panel.open()),
    command('relay.messagePeer', (parts) => parts.send.messagePeer()),
    command('relay.sendSelection', (parts) => parts.snippets.sendSelection()),
    command('relay.broadcastHint', (parts) => parts.send.broadcastHint()),
    vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => use().panel.revive((events) => ChatPanel.revive(panel, context.extensionUri, events)),
    }),
  );
  if (vscode.workspace.getConfiguration('relay').get('autoConnect') === true) void use().lifecycle.autoConnect();
}
