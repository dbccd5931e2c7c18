/** The extension's logic that needs no VS Code window: settings, wording, chat state, l10n and the manifest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readSettings, DEFAULT_SETTINGS } from '../../src/extension/settings';
import { describeFailure } from '../../src/extension/chat/deliveryWording';
import { describeConnectError, describeNameProblem } from '../../src/extension/connection/connectionWording';
import { statusBarText } from '../../src/extension/statusBarText';
import { ChatModel } from '../../src/extension/chat/chatModel';
import { snippetFromSelection } from '../../src/extension/chat/snippets';
import { formatWire } from '../../src/extension/connection/wireTrace';
import { makeNonce, panelHtml } from '../../src/extension/chat/panel/panelHtml';
import { RelayError, type RelayErrorCode } from '../../src/client/types';
import { format, EVERYONE } from '../../src/protocol/panel';
import { runtimeMessages } from '../helpers/extension/l10n';
import { ROOT } from '../helpers/paths';

const t = (message: string, ...args: Array<string | number | boolean>) => format(message, ...args.map(String));
const german = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;
const de = (message: string, ...args: Array<string | number | boolean>) =>
  format(german[message] ?? `MISSING ${message}`, ...args.map(String));
/** What these tests read of package.json. */
interface Manifest {
  extensionKind: string[];
  activationEvents: string[];
  icon: string;
  contributes: {
    commands: Array<{ command: string; category: string }>;
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string }> };
  };
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

test('settings: good values are taken, bad ones fall back to defaults with a message naming the setting', () => {
  const good = readSettings(
    (key) =>
      ({
        server: 'relay.local:4000',
        name: ' Zoë ',
        dialect: 'course',
        autoConnect: true,
        notifications: 'hints',
        historySize: 50,
        traceWire: true,
        hostPort: 4000,
      })[key],
    t,
  );
  assert.deepEqual(good, {
    settings: {
      server: { transport: 'tcp', host: 'relay.local', port: 4000 },
      name: 'Zoë',
      dialect: 'course',
      autoConnect: true,
      notifications: 'hints',
      historySize: 50,
      traceWire: true,
      hostPort: 4000,
    },
    problems: [],
  });
  const bad = readSettings(
    (key) =>
      ({
        server: 'relay:99999',
        name: 'Bob:1',
        dialect: 'irc',
        autoConnect: 'yes',
        notifications: 'loud',
        historySize: -3,
        traceWire: 1,
        hostPort: 70000,
      })[key],
    t,
  );
  assert.deepEqual(bad.settings, DEFAULT_SETTINGS);
  assert.equal(bad.problems.length, 8);
  assert.equal(
    bad.problems[7],
    'Setting relay.hostPort must be a port from 1 to 65535, or empty; the last port used (or 12345) is used.',
  );
  assert.equal(
    readSettings((key) => (key === 'hostPort' ? null : undefined), t).settings.hostPort,
    undefined,
    'an empty host port is the default',
  );
  assert.match(bad.problems[0]!, /^Setting relay\.server: "99999" is not a port/);
  assert.match(bad.problems[1]!, /^Setting relay\.name: the character ":" \(U\+003A\) is not allowed/);
  assert.equal(bad.problems[5], 'Setting relay.historySize must be a whole number from 0 to 10000; 500 is used.');
  assert.deepEqual(
    readSettings(() => undefined, t),
    { settings: DEFAULT_SETTINGS, problems: [] },
  );
});

test('connection errors are worded for students, with what to check', () => {
  const cases: Array<[RelayErrorCode, RegExp]> = [
    [
      'refused',
      /^Could not connect to 10\.0\.0\.5:12345: the connection was refused\. Is the relay running, and is the port right\?$/,
    ],
    ['unreachable', /cannot be reached from this computer/],
    ['not-found-host', /Check the server address for typing mistakes/],
    ['timeout', /did not answer in time/],
    ['name-taken', /^The name "Alice" is already taken on 10\.0\.0\.5:12345\. Choose another name\.$/],
  ];
  for (const [code, expected] of cases)
    assert.match(describeConnectError(new RelayError(code, 'detail'), '10.0.0.5:12345', 'Alice', t), expected);
  assert.equal(
    describeConnectError(new RelayError('refused', 'x'), '10.0.0.5:12345', 'Alice', de),
    'Keine Verbindung zu 10.0.0.5:12345: Die Verbindung wurde abgelehnt. Läuft das Relay, und stimmt der Port?',
  );
  assert.equal(describeFailure('unknown-peer', 'Bob', t), 'Bob is not online.');
  assert.equal(
    describeNameProblem('bad-character', de),
    "Verwende nur Buchstaben, Ziffern, Leerzeichen und . _ - '; keinen Doppelpunkt. Beginne mit einem Buchstaben oder einer Ziffer.",
  );
});

test('the status bar shows state, name and unread count', () => {
  assert.equal(
    statusBarText({ kind: 'connected', dialect: 'relay', name: 'Bob', online: [] }, 0, t).text,
    '$(comment-discussion) Bob',
  );
  const unread = statusBarText({ kind: 'connected', dialect: 'relay', name: 'Bob', online: [] }, 1, t);
  assert.equal(unread.text, '$(bell-dot) Bob 1');
  assert.equal(unread.label, 'Relay: connected as Bob, 1 unread message');
  const waiting = statusBarText(
    {
      kind: 'waiting',
      attempt: 2,
      retryInMs: 3900,
      cause: { kind: 'closed', reason: 'server-shutdown' },
      reason: 'the relay stopped',
    },
    0,
    de,
  );
  assert.deepEqual([waiting.label, waiting.warning], ['Relay: Verbindung verloren, neuer Versuch in 4 s', true]);
});

test('chat model: unread counts grow only for conversations not in view, and viewing clears them', () => {
  const model = new ChatModel(100, 'Everyone');
  model.receive({ kind: 'message', from: 'Bob', text: 'eins', at: '2026-01-01T00:00:00Z' });
  model.receive({ kind: 'hint', from: 'Lehrer', text: 'Tipp', at: '2026-01-01T00:00:01Z' });
  assert.equal(model.totalUnread, 2);
  model.setViewing('bob');
  assert.equal(model.totalUnread, 1);
  model.receive({ kind: 'message', from: 'BOB', text: 'zwei', at: '2026-01-01T00:00:02Z' });
  assert.equal(model.totalUnread, 1, 'a message in the conversation in view is read');
  assert.deepEqual(
    model.conversations().map((view) => [view.id, view.label, view.unread]),
    [
      [EVERYONE, 'Everyone', 1],
      ['bob', 'BOB', 0],
    ],
  );
});

test('chat model: a course peer who calls itself "*" has a conversation of its own, apart from everyone\'s hints, and answers go to "*"', () => {
  const model = new ChatModel(100, 'Everyone');
  model.setDialect('course');
  const item = model.receive({ kind: 'message', from: '*', text: 'Ich bin alle', at: '2026-01-01T00:00:00Z' });
  assert.notEqual(item.conversation, EVERYONE);
  assert.equal(model.labelOf(item.conversation), '*');
  model.receive({ kind: 'hint', from: 'Lehrer', text: 'Tipp', at: '2026-01-01T00:00:01Z' });
  assert.deepEqual(
    model.conversations().map((view) => [view.label, view.unread]),
    [
      ['Everyone', 1],
      ['*', 1],
    ],
  );
  assert.equal(model.sent('m1', '*', 'Alice', { kind: 'text', text: 'Hallo' }).conversation, item.conversation);
  assert.notEqual(ChatModel.conversationOf('*'), EVERYONE);
});

test('chat model: history is bounded and restores with damaged entries skipped and pending ones marked failed', () => {
  const model = new ChatModel(3, 'Everyone');
  for (let index = 0; index < 5; index++)
    model.receive({ kind: 'message', from: 'Bob', text: `#${index}`, at: '2026-01-01T00:00:00Z' });
  model.sent('m1', 'Bob', 'Alice', { kind: 'text', text: 'offen' });
  assert.deepEqual(
    model.history.map((item) => item.content.kind === 'text' && item.content.text),
    ['#3', '#4', 'offen'],
  );
  const stored = JSON.parse(JSON.stringify(model.toJSON())) as { items: unknown[] };
  stored.items.push({ id: 7 }, 'garbage', { id: 'x', conversation: 'bob', direction: 'sideways' });
  const restored = new ChatModel(10, 'Everyone');
  assert.deepEqual(restored.restore(stored, 'interrupted'), { dropped: 3 });
  assert.deepEqual(restored.find('m1'), { ...model.find('m1'), delivery: 'failed', failure: 'interrupted' });
  assert.deepEqual(new ChatModel(10, 'E').restore('not a history', 'x'), { dropped: 0 });
});

test('a selection becomes a snippet with language, file and the lines it covers', () => {
  assert.deepEqual(
    snippetFromSelection({
      text: 'def f():\n    return 1\n',
      languageId: 'python',
      path: 'src/a.py',
      startLine: 3,
      endLine: 5,
    }),
    { code: 'def f():\n    return 1', language: 'python', file: 'src/a.py', lines: { start: 3, end: 4 } },
  );
  assert.deepEqual(snippetFromSelection({ text: 'x = 1', languageId: '', path: undefined, startLine: 7, endLine: 7 }), {
    code: 'x = 1',
    language: 'plaintext',
    lines: { start: 7, end: 7 },
  });
});

test('wire trace shows text with visible control characters, and hex for bytes that are not text', () => {
  const labels = { sent: 'sent', received: 'received' };
  assert.equal(formatWire('out', Buffer.from('Bob:Hallo\r\n'), labels), '→ sent 11 B: Bob:Hallo\\r\\n');
  assert.equal(formatWire('in', Buffer.from([0x41, 0xff, 0x00]), labels), '← received 3 B: hex 41 ff 00');
});

test('the panel HTML has a strict CSP with a fresh nonce and no inline code', () => {
  const nonce = makeNonce(randomBytes);
  assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  assert.notEqual(nonce, makeNonce(randomBytes));
  const html = panelHtml({
    cspSource: 'vscode-resource:',
    scriptUri: 'vscode-resource:/dist/webview.js',
    styleUri: 'vscode-resource:/media/chat.css',
    nonce,
    lang: 'de',
    title: '<Chat>',
  });
  assert.match(html, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|style=|onclick|<script>/);
  assert.match(html, /<html lang="de">/);
  assert.match(html, /<title>&lt;Chat><\/title>/);
});

test('every runtime message has a German translation, and no German entry is left over', () => {
  const messages = runtimeMessages(ROOT);
  assert.ok(messages.size > 80, `found ${messages.size} messages`);
  const missing = [...messages.keys()].filter((message) => german[message] === undefined);
  assert.deepEqual(missing, []);
  const stale = Object.keys(german).filter((message) => !messages.has(message));
  assert.deepEqual(stale, []);
  for (const [english, translated] of Object.entries(german)) {
    const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((match) => match[0]).sort();
    assert.deepEqual(placeholders(translated), placeholders(english), english);
  }
});

test('the manifest: commands in category Relay with English and German titles, settings described, UI-side, activated after startup (for auto-connect) and to restore the chat panel', () => {
  const english = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const germanManifest = JSON.parse(readFileSync(join(ROOT, 'package.nls.de.json'), 'utf8')) as Record<string, string>;
  assert.deepEqual(Object.keys(germanManifest).sort(), Object.keys(english).sort());
  const keys = [...JSON.stringify(manifest).matchAll(/"%([\w.]+)%"/g)].map((match) => match[1]!);
  assert.deepEqual(
    keys.filter((key) => english[key] === undefined),
    [],
  );
  const commands = manifest.contributes.commands.map((command) => [command.command, command.category] as const);
  assert.deepEqual(commands.map(([id]) => id).sort(), [
    'relay.broadcastHint',
    'relay.clearHints',
    'relay.connect',
    'relay.createClass',
    'relay.disconnect',
    'relay.enterTeacherKey',
    'relay.forgetTeacherKey',
    'relay.hostClassroom',
    'relay.lowerHand',
    'relay.markAllRead',
    'relay.messagePeer',
    'relay.openChat',
    'relay.openChatInEditor',
    'relay.questions.markAnswered',
    'relay.questions.open',
    'relay.raiseHand',
    'relay.registerName',
    'relay.roster.disconnect',
    'relay.roster.lowerHand',
    'relay.roster.message',
    'relay.roster.mute',
    'relay.roster.unmute',
    'relay.sendSelection',
    'relay.showClassroom',
    'relay.stopHosting',
  ]);
  assert.ok(commands.every(([, category]) => category === 'Relay'));
  assert.equal(germanManifest['command.connect'], 'Verbinden');
  assert.equal(manifest.extensionKind[0], 'ui');
  assert.deepEqual(manifest.activationEvents, ['onStartupFinished', 'onWebviewPanel:relay.chat']);
  assert.ok(existsSync(join(ROOT, manifest.icon)));
  const settings = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(settings).sort(), [
    'relay.autoConnect',
    'relay.dialect',
    'relay.historySize',
    'relay.hostPort',
    'relay.name',
    'relay.notifications',
    'relay.server',
    'relay.traceWire',
  ]);
  for (const [key, setting] of Object.entries(settings)) {
    const text = setting.markdownDescription ?? setting.description ?? '';
    const nls = /^%(.+)%$/.exec(text)?.[1];
    assert.ok(
      nls ? english[nls]?.trim() && germanManifest[nls]?.trim() : false,
      `${key} is described in English and German`,
    );
  }
});
