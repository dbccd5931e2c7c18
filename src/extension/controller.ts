/**
 * Owns the connection, the chat model, the panel, the status bar and the log, and carries out
 * the commands. Everything it creates is disposed with it.
 */
import * as vscode from 'vscode';
import { RelayConnection, type ConnectionEvent, type ConnectionState } from '../client/connection';
import { RelayError } from '../client/types';
import { formatServerAddress, type ServerAddress } from '../protocol/address';
import { DEFAULT_LIMITS, type Snippet } from '../protocol/framed';
import { nameKey } from '../protocol/names';
import { EVERYONE, type ChatItem, type ChatSnapshot, type PanelToHost } from '../protocol/panel';
import { utf8Length } from '../protocol/utf8';
import { ChatModel, type Incoming } from './core/chatModel';
import { panelStrings } from './core/panelStrings';
import { readSettings, type RelaySettings } from './core/settings';
import { snippetFromSelection } from './core/snippets';
import { formatWire } from './core/wireTrace';
import { connectionView, describeConnectError, describeFailure } from './core/wording';
import { ChatPanel } from './chatPanel';
import { HistoryStore, historyKey } from './historyStore';
import { CertificateTrust } from './certificateTrust';
import { askName, askPeer, askServer, askText } from './prompts';
import { RelayStatusBar } from './statusBar';

const t = vscode.l10n.t;
const RECENT_SERVERS = 'relay.recentServers';
const LAST_NAME = 'relay.lastName';
const CLIENT_ID = `vscode-classroom-relay/${__VERSION__}`;

interface Target {
  server: ServerAddress;
  name: string;
}

interface ConnectOptions {
  /** Connect exactly here, asking nothing. */
  target?: Target;
  askServer?: boolean;
  askName?: boolean;
  /** On startup: ask nothing, open no panel. */
  silent?: boolean;
}

export class RelayController implements vscode.Disposable {
  private readonly log = vscode.window.createOutputChannel(t('Relay'), { log: true });
  private readonly statusBar = new RelayStatusBar();
  private readonly history: HistoryStore;
  private readonly trust: CertificateTrust;
  private readonly disposables: vscode.Disposable[] = [];
  private settings: RelaySettings;
  private model: ChatModel;
  private connection: RelayConnection | undefined;
  private connectionEvents: { dispose(): void } | undefined;
  private target: Target | undefined;
  private panel: ChatPanel | undefined;
  private selected = EVERYONE;
  private lastEditor: vscode.TextEditor | undefined;
  private lastError: string | undefined;
  /** The connection that came up; when it fails later, on a reconnect, that is worth a word too. */
  private established: RelayConnection | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.history = new HistoryStore(context.globalState);
    this.trust = new CertificateTrust(context.globalState);
    this.settings = this.readSettings(true);
    this.model = new ChatModel(this.settings.historySize, t('Everyone / hints'));
    this.lastEditor = vscode.window.activeTextEditor;
    this.disposables.push(
      this.log,
      this.statusBar,
      this.history,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('relay')) this.settingsChanged();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.lastEditor = editor;
      }),
    );
  }

  // ---- commands ----

  async connect(options: ConnectOptions = {}): Promise<void> {
    const target = await this.chooseTarget(options);
    if (!target) return;
    if (this.connection && this.target && sameTarget(this.target, target) && this.connection.state.kind !== 'failed' && this.connection.state.kind !== 'idle') {
      this.openChat();
      return;
    }
    this.stopConnection();
    this.target = target;
    this.loadHistory(target);
    const connection = new RelayConnection({
      host: target.server.host,
      port: target.server.port,
      transport: target.server.transport,
      fingerprint: this.trust.pinFor(target.server),
      name: target.name,
      dialect: this.settings.dialect,
      client: CLIENT_ID,
      trace: (direction, bytes) => {
        if (this.settings.traceWire) this.log.info(formatWire(direction, bytes, { sent: t('sent'), received: t('received') }));
      },
    });
    this.connection = connection;
    this.connectionEvents = connection.onEvent((event) => this.connectionEvent(connection, event));
    const server = formatServerAddress(target.server);
    this.log.info(t('Connecting to {0} as {1} (dialect {2})', server, target.name, this.settings.dialect));
    if (!options.silent) this.openChat();
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: t('Connecting to {0}…', server) },
        () => connection.start(),
      );
    } catch (error) {
      if (connection !== this.connection) return; // replaced meanwhile by another connect
      const relayError = error instanceof RelayError ? error : new RelayError('closed', String(error));
      const trust = await this.trust.settle(relayError, target.server);
      if (trust === 'retry') await this.connect({ target });
      else await this.connectFailed(relayError, target, trust === 'shown');
      return;
    }
    this.established = connection;
    this.lastError = undefined;
    await this.remember(target);
    const state = connection.state;
    if (state.kind === 'connected') this.log.info(t('Connected to {0} as {1} ({2})', server, state.name, state.dialect));
  }

  disconnect(): void {
    if (!this.connection) {
      void vscode.window.showInformationMessage(t('Relay: not connected.'));
      return;
    }
    this.log.info(t('Disconnected by you.'));
    this.stopConnection();
    this.refreshConnection({ kind: 'idle' });
  }

  async registerName(): Promise<void> {
    const current = this.target?.name ?? this.settings.name ?? this.context.globalState.get<string>(LAST_NAME);
    const name = await askName(current, t('Relay: Register Name'));
    if (!name) return;
    const configured = vscode.workspace.getConfiguration('relay').inspect<string>('name');
    if (configured?.globalValue !== undefined) await vscode.workspace.getConfiguration('relay').update('name', name, vscode.ConfigurationTarget.Global);
    await this.context.globalState.update(LAST_NAME, name);
    const server = this.target?.server ?? this.settings.server;
    if (server && this.connection) {
      this.stopConnection();
      await this.connect({ target: { server, name } });
    } else {
      void vscode.window.showInformationMessage(t('Relay: your name is now {0}. It is used when you connect.', name));
    }
  }

  openChat(conversation?: string): void {
    if (conversation !== undefined) this.selected = conversation;
    if (this.panel) this.panel.reveal();
    else this.attachPanel(ChatPanel.create(this.context.extensionUri, (message) => this.panelMessage(message), (visible) => this.panelVisibility(visible), () => this.panelClosed()));
    if (conversation !== undefined) this.panel?.post({ type: 'focus', conversation });
  }

  /** Takes over a chat panel restored by VS Code after a reload. */
  revivePanel(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.attachPanel(ChatPanel.revive(panel, this.context.extensionUri, (message) => this.panelMessage(message), (visible) => this.panelVisibility(visible), () => this.panelClosed()));
  }

  async messagePeer(): Promise<void> {
    const connection = await this.requireConnection();
    if (!connection) return;
    const to = await askPeer(this.online(), this.model.knownPeers(), t('Relay: Message Peer'));
    if (!to) return;
    const text = await askText(t('Message to {0}', to), t('Your message to {0}', to), this.maxTextBytes());
    if (text === undefined) return;
    this.sendText(to, text);
    this.openChat(ChatModel.conversationOf(to));
  }

  async sendSelection(): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? this.lastEditor;
    if (!editor) {
      void vscode.window.showWarningMessage(t('Open a file and select the code you want to send.'));
      return;
    }
    const snippet = this.snippetOf(editor);
    if (snippet.code.trim() === '') {
      void vscode.window.showWarningMessage(t('The selection is empty: select some code first.'));
      return;
    }
    const limit = DEFAULT_LIMITS.snippetBytes;
    if (utf8Length(snippet.code) > limit) {
      void vscode.window.showErrorMessage(t('The selection has {0} bytes; a snippet may have at most {1}. Select less code.', utf8Length(snippet.code), limit));
      return;
    }
    const connection = await this.requireConnection();
    if (!connection) return;
    const to = await askPeer(this.online(), this.model.knownPeers(), t('Relay: Send Selection to Peer'));
    if (!to) return;
    const outgoing = connection.sendSnippet(to, snippet);
    this.itemChanged(this.model.sent(outgoing.id, to, connection.name, { kind: 'snippet', snippet }), false);
    this.openChat(ChatModel.conversationOf(to));
  }

  async broadcastHint(): Promise<void> {
    const connection = await this.requireConnection();
    if (!connection) return;
    const text = await askText(t('Relay: Broadcast Hint'), t('A hint for everyone in the class'), this.maxTextBytes());
    if (text === undefined) return;
    await this.broadcast(text);
  }

  // ---- connection ----

  private async chooseTarget(options: ConnectOptions): Promise<Target | undefined> {
    if (options.target) return options.target;
    const recent = this.context.globalState.get<string[]>(RECENT_SERVERS, []);
    let server = options.askServer ? undefined : this.settings.server ?? this.target?.server;
    if (!server) {
      if (options.silent) return undefined;
      server = await askServer(recent, this.target?.server);
      if (!server) return undefined;
    }
    let name = options.askName ? undefined : this.settings.name ?? this.target?.name;
    if (!name) {
      if (options.silent) return undefined;
      name = await askName(this.context.globalState.get<string>(LAST_NAME), t('Relay: Connect'));
      if (!name) return undefined;
    }
    return { server, name };
  }

  private async connectFailed(error: RelayError, target: Target, alreadyShown = false): Promise<void> {
    const server = formatServerAddress(target.server);
    const message = describeConnectError(error, server, target.name, t);
    this.lastError = message;
    this.log.error(`${message} (${error.code}: ${error.message})`);
    this.refreshConnection(this.connection?.state ?? { kind: 'idle' });
    if (alreadyShown) return;
    const retry = t('Retry');
    const changeServer = t('Change Server');
    const changeName = t('Change Name');
    const nameProblem = error.code === 'name-taken' || error.code === 'name-invalid' || error.code === 'name-reserved';
    const choice = await vscode.window.showErrorMessage(message, retry, nameProblem ? changeName : changeServer);
    if (choice === retry) await this.connect({ target });
    else if (choice === changeServer) await this.connect({ askServer: true });
    else if (choice === changeName) await this.connect({ askName: true });
  }

  private async remember(target: Target): Promise<void> {
    const address = formatServerAddress(target.server);
    const recent = this.context.globalState.get<string[]>(RECENT_SERVERS, []).filter((entry) => entry !== address);
    await this.context.globalState.update(RECENT_SERVERS, [address, ...recent].slice(0, 5));
    await this.context.globalState.update(LAST_NAME, target.name);
  }

  private stopConnection(): void {
    this.connectionEvents?.dispose();
    this.connectionEvents = undefined;
    this.connection?.dispose();
    this.connection = undefined;
  }

  private async requireConnection(): Promise<RelayConnection | undefined> {
    if (!this.connection || this.connection.state.kind === 'failed' || this.connection.state.kind === 'idle') {
      const connect = t('Connect');
      const choice = await vscode.window.showWarningMessage(t('Relay: not connected.'), connect);
      if (choice !== connect) return undefined;
      await this.connect();
    }
    return this.connection;
  }

  private connectionEvent(connection: RelayConnection, event: ConnectionEvent): void {
    if (connection !== this.connection) return;
    switch (event.type) {
      case 'state':
        this.stateChanged(event.state);
        if (event.state.kind === 'failed' && connection === this.established) void this.failedAfterDrop(event.state.error);
        return;
      case 'delivery': {
        const failure = event.failure ? describeFailure(event.failure.code, event.failure.detail, t) : undefined;
        const item = this.model.updateDelivery(event.id, event.state, failure);
        if (item) this.itemChanged(item, false);
        if (failure) this.log.warn(t('Message not delivered: {0}', failure));
        return;
      }
      case 'incoming':
        this.incoming(event.event);
    }
  }

  /** A reconnect met a certificate that is not (or no longer) trusted: as loud as on the first connect. */
  private async failedAfterDrop(error: RelayError): Promise<void> {
    const target = this.target;
    if (!target) return;
    this.lastError = describeConnectError(error, formatServerAddress(target.server), target.name, t);
    this.refreshConnection(this.connection?.state ?? { kind: 'idle' });
    if ((await this.trust.settle(error, target.server)) === 'retry') await this.connect({ target });
  }

  private stateChanged(state: ConnectionState): void {
    if (state.kind === 'waiting') this.log.warn(t('Connection lost ({0}); reconnecting in {1} s (attempt {2})', state.reason, Math.round(state.retryInMs / 1000), state.attempt));
    if (state.kind === 'connected') this.model.setOnline(state.online);
    this.refreshConnection(state);
    this.postConversations();
  }

  private incoming(event: Extract<ConnectionEvent, { type: 'incoming' }>['event']): void {
    if (event.type === 'presence') {
      for (const name of event.joined) this.log.info(t('{0} is online', name));
      for (const name of event.left) this.log.info(t('{0} went offline', name));
      return; // the state event that accompanies it carries the new online list
    }
    if (event.type === 'hints-cleared' || event.type === 'self' || event.type === 'roster') return;
    const incoming: Incoming = event.type === 'message' ? { kind: 'message', from: event.from, text: event.text, at: event.at }
      : event.type === 'snippet' ? { kind: 'snippet', from: event.from, snippet: event.snippet, at: event.at }
        : event.type === 'broadcast' ? { kind: 'hint', from: event.from, text: event.text, at: event.at }
          : { kind: 'notice', text: event.text, at: new Date().toISOString() };
    if (event.type === 'notice') this.log.info(t('Server says: {0}', event.text));
    const item = this.model.receive(incoming);
    this.itemChanged(item, true);
    if (!this.panel?.visible) this.notify(item);
  }

  private notify(item: ChatItem): void {
    if (item.notice) return;
    const level = this.settings.notifications;
    const hint = item.conversation === EVERYONE;
    if (level === 'off' || (level === 'hints' && !hint)) return;
    const preview = item.content.kind === 'text' ? item.content.text : t('{0} code', item.content.snippet.language);
    const text = hint ? t('Hint from {0}: {1}', item.from, preview.slice(0, 200)) : t('{0}: {1}', item.from, preview.slice(0, 200));
    const open = t('Open Chat');
    void vscode.window.showInformationMessage(text, open).then((choice) => {
      if (choice === open) this.openChat(item.conversation);
    });
  }

  // ---- sending ----

  private sendText(to: string, text: string): void {
    const connection = this.connection;
    if (!connection) return;
    const outgoing = connection.send(to, text);
    this.itemChanged(this.model.sent(outgoing.id, to, connection.name, { kind: 'text', text }), false);
  }

  private async broadcast(text: string): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    const state = connection.state;
    if (state.kind === 'connected' && state.dialect !== 'relay') {
      // A course server has no broadcast: one message to each classmate chosen here.
      const known = this.model.knownPeers();
      const picked = known.length > 0
        ? await vscode.window.showQuickPick(known.map((label) => ({ label, picked: true })), { canPickMany: true, title: t('Relay: Broadcast Hint'), placeHolder: t('This server cannot broadcast: send the hint to each of these') })
        : undefined;
      const names = picked?.map((item) => item.label)
        ?? (await vscode.window.showInputBox({ title: t('Relay: Broadcast Hint'), prompt: t('This server cannot broadcast. Names to send the hint to, separated by commas') }))?.split(',').map((name) => name.trim()).filter(Boolean);
      for (const name of names ?? []) this.sendText(name, text);
      return;
    }
    const outgoing = connection.broadcast(text);
    this.itemChanged(this.model.sent(outgoing.id, undefined, connection.name, { kind: 'text', text }), false);
  }

  private snippetOf(editor: vscode.TextEditor): Snippet {
    const selection = editor.selection;
    const range = selection.isEmpty ? editor.document.lineAt(selection.active.line).range : selection;
    const uri = editor.document.uri;
    const path = uri.scheme === 'untitled' ? undefined : vscode.workspace.asRelativePath(uri, false);
    return snippetFromSelection({
      text: editor.document.getText(range),
      languageId: editor.document.languageId,
      path,
      startLine: range.start.line + 1,
      endLine: range.end.line + 1,
    });
  }

  private maxTextBytes(): number {
    return DEFAULT_LIMITS.textBytes;
  }

  private online(): string[] {
    const state = this.connection?.state;
    return state?.kind === 'connected' ? [...state.online] : [];
  }

  // ---- panel ----

  private attachPanel(panel: ChatPanel): void {
    this.panel = panel;
    this.panelVisibility(panel.visible);
  }

  private panelMessage(message: PanelToHost): void {
    switch (message.type) {
      case 'ready':
        this.panel?.post({ type: 'init', strings: panelStrings(t), snapshot: this.snapshot() });
        this.panel?.post({ type: 'focus', conversation: this.selected });
        return;
      case 'send':
        void this.sendFromPanel(message.conversation, message.text);
        return;
      case 'select':
        this.selected = message.conversation;
        this.panelVisibility(this.panel?.visible ?? false);
        return;
      case 'snippet':
        void this.snippetAction(message.action, message.itemId);
        return;
      case 'connect':
        void this.connect();
        return;
      case 'newConversation':
        void this.messagePeer();
    }
  }

  private async sendFromPanel(conversation: string, text: string): Promise<void> {
    const connection = await this.requireConnection();
    if (!connection) return;
    if (conversation === EVERYONE) await this.broadcast(text);
    else this.sendText(this.model.labelOf(conversation), text);
  }

  private async snippetAction(action: 'insert' | 'open' | 'copy', itemId: string): Promise<void> {
    const item = this.model.find(itemId);
    if (item?.content.kind !== 'snippet') return;
    const { snippet } = item.content;
    switch (action) {
      case 'copy':
        await vscode.env.clipboard.writeText(snippet.code);
        vscode.window.setStatusBarMessage(t('Snippet copied'), 2000);
        return;
      case 'open': {
        const languages = await vscode.languages.getLanguages();
        const language = languages.includes(snippet.language) ? snippet.language : 'plaintext';
        const document = await vscode.workspace.openTextDocument({ language, content: snippet.code });
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
        return;
      }
      case 'insert': {
        const editor = this.lastEditor && !this.lastEditor.document.isClosed ? this.lastEditor : vscode.window.visibleTextEditors[0];
        if (!editor) {
          void vscode.window.showWarningMessage(t('Open an editor first: the snippet is inserted at its cursor.'));
          return;
        }
        const shown = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
        await shown.edit((edit) => {
          for (const selection of shown.selections) edit.replace(selection, snippet.code);
        });
      }
    }
  }

  private panelVisibility(visible: boolean): void {
    this.model.setViewing(visible ? this.selected : undefined);
    this.postConversations();
  }

  private panelClosed(): void {
    this.panel = undefined;
    this.model.setViewing(undefined);
    this.refreshConnection(this.connection?.state ?? { kind: 'idle' });
  }

  private snapshot(): ChatSnapshot {
    return {
      connection: connectionView(this.connection?.state ?? { kind: 'idle' }, this.target ? formatServerAddress(this.target.server) : '', t, this.lastError),
      conversations: this.model.conversations(),
      items: [...this.model.history],
      maxTextBytes: this.maxTextBytes(),
    };
  }

  private itemChanged(item: ChatItem, announce: boolean): void {
    this.panel?.post({ type: 'item', item, announce });
    this.postConversations();
    this.saveHistory();
  }

  private postConversations(): void {
    this.panel?.post({ type: 'conversations', conversations: this.model.conversations() });
    this.statusBar.update(this.connection?.state ?? { kind: 'idle' }, this.model.totalUnread);
  }

  private refreshConnection(state: ConnectionState): void {
    const server = this.target ? formatServerAddress(this.target.server) : '';
    this.panel?.post({ type: 'connection', connection: connectionView(state, server, t, this.lastError), maxTextBytes: this.maxTextBytes() });
    this.statusBar.update(state, this.model.totalUnread);
  }

  // ---- history and settings ----

  private loadHistory(target: Target): void {
    this.history.flush();
    this.model = new ChatModel(this.settings.historySize, t('Everyone / hints'));
    const { dropped } = this.model.restore(this.history.load(historyKey(target.server, target.name)), t('Not sent: VS Code was closed before it went out.'));
    if (dropped > 0) this.log.warn(t('{0} damaged history entries were skipped.', dropped));
    this.panel?.post({ type: 'snapshot', snapshot: this.snapshot() });
  }

  private saveHistory(): void {
    if (!this.target) return;
    const model = this.model;
    this.history.schedule(historyKey(this.target.server, this.target.name), () => model.toJSON());
  }

  private readSettings(showProblems: boolean): RelaySettings {
    const configuration = vscode.workspace.getConfiguration('relay');
    const { settings, problems } = readSettings((key) => configuration.get(key), t);
    for (const problem of problems) {
      this.log.warn(problem);
      if (showProblems) void vscode.window.showWarningMessage(problem);
    }
    return settings;
  }

  private settingsChanged(): void {
    this.settings = this.readSettings(true);
    this.model.setHistorySize(this.settings.historySize);
    this.saveHistory();
  }

  /** Connects on startup when the settings say so and name the server and the name. */
  async autoConnect(): Promise<void> {
    if (this.settings.autoConnect && this.settings.server && this.settings.name) await this.connect({ silent: true });
  }

  dispose(): void {
    this.stopConnection();
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function sameTarget(a: Target, b: Target): boolean {
  return a.server.transport === b.server.transport && a.server.host === b.server.host && a.server.port === b.server.port && nameKey(a.name) === nameKey(b.name);
}
