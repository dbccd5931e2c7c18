/**
 * The chat beside the code, without VS Code: the chat view (which VS Code makes when it first
 * shows, and again after a reload), the chat in an editor tab as an option, both fed by one
 * host; Send Selection leaves the keyboard in the editor; while a chat is in view the wait
 * before a reconnect is short and "Reconnect now" ends it. A real relay over real TCP; the
 * chats record what they are sent.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { WATCHED_RETRY_MS } from '../../../src/extension/connection/connectionLifecycle';
import { PanelHost } from '../../../src/extension/chat/panel/panelHost';
import { EVERYONE, type HostToPanel } from '../../../src/protocol/panel';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { hostsForThisFile, RecordingPanel, type ExtensionHost } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

const SELECTION = {
  text: 'def greet(name):\n    return f"Hallo {name}!"\n',
  languageId: 'python',
  path: 'greet.py',
  startLine: 1,
  endLine: 3,
};

const types = (panel: RecordingPanel) => panel.posts.map((post) => post.type);
const focusOf = (panel: RecordingPanel) =>
  panel.posts.filter((post): post is Extract<HostToPanel, { type: 'focus' }> => post.type === 'focus').at(-1)
    ?.conversation;

/** How long the current connection waits before its next attempt, once it waits. */
async function waitingMs(
  window: ExtensionHost,
  what: string,
  check: (ms: number) => boolean = () => true,
): Promise<number> {
  return window.until(() => {
    const state = window.parts.lifecycle.state;
    return state.kind === 'waiting' && check(state.retryInMs) ? state.retryInMs : undefined;
  }, what);
}

test('Connect shows the chat view, which VS Code makes; Open Chat in Editor adds an editor tab; both are fed every update and each is answered on its own', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  assert.deepEqual(alice.viewShown, [false], 'the view was asked for once, taking the keyboard: the person asked');
  const view = alice.panel!;
  assert.equal(view.place, 'view');
  view.events.message({ type: 'ready' });
  assert.deepEqual(types(view).slice(-2), ['init', 'focus']);

  alice.parts.panel.open(undefined, { place: 'editor' });
  const editor = alice.panel!;
  assert.equal(editor.place, 'editor');
  assert.notEqual(editor, view);
  assert.equal(view.disposed, false, 'the view stays');
  editor.events.message({ type: 'ready' });
  const init = editor.posts.find((post) => post.type === 'init');
  assert.ok(
    init?.type === 'init' && init.snapshot.connection.kind === 'connected',
    'the editor tab has the whole chat',
  );
  assert.equal(view.posts.filter((post) => post.type === 'init').length, 1, 'the view is not made to start again');

  bob.send({ type: 'send', id: 'b1', to: 'Alice', text: 'An beide' });
  await alice.item('An beide');
  for (const chat of [view, editor]) {
    assert.ok(
      chat.posts.some(
        (post) => post.type === 'item' && post.item.content.kind === 'text' && post.item.content.text === 'An beide',
      ),
      chat.place,
    );
  }
  alice.parts.panel.open();
  assert.equal(view.reveals, 1, 'Open Chat shows the view again, not a new one');
  assert.deepEqual(alice.viewShown, [false]);
});

test('Send Selection shows the conversation in the chat view and leaves the keyboard in the editor', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  const view = alice.panel!;
  alice.editors.current = SELECTION;
  alice.person.answer('peer', 'Bob');
  await alice.parts.snippets.sendSelection();
  await bob.next('snippet');
  assert.deepEqual(view.revealedPreservingFocus, [true]);
  assert.deepEqual(
    view.posts.filter((post) => post.type === 'focus').at(-1),
    { type: 'focus', conversation: 'bob', keyboard: false },
    'the composer does not take the keyboard',
  );
  assert.equal(alice.panels.length, 1, 'no editor tab over the code');
});

test('Send Selection before the chat view was ever shown has it made without the keyboard', async () => {
  const { port } = await relay();
  await framed(port, 'Bob');
  const alice = host({
    settings: { server: { transport: 'tcp', host: '127.0.0.1', port }, name: 'Alice', autoConnect: true },
  });
  await alice.parts.lifecycle.autoConnect();
  await alice.until(() => alice.parts.lifecycle.state.kind === 'connected', 'connected on startup');
  assert.equal(alice.panels.length, 0, 'auto-connect shows no chat');
  alice.editors.current = SELECTION;
  alice.person.answer('peer', 'Bob');
  await alice.parts.snippets.sendSelection();
  assert.deepEqual(alice.viewShown, [true]);
  assert.deepEqual(
    alice.panels.map((panel) => panel.place),
    ['view'],
  );
  alice.panel!.events.message({ type: 'ready' });
  assert.deepEqual(
    alice.panel!.posts.filter((post) => post.type === 'focus'),
    [
      { type: 'focus', conversation: 'bob', keyboard: false },
      { type: 'focus', conversation: 'bob', keyboard: false },
    ],
    'told at once and again when ready, never taking the keyboard',
  );
});

test('after a reload, the chat view VS Code makes again shows the conversation it showed; a conversation asked for before VS Code made it wins', async () => {
  const alice = host();
  let restored: RecordingPanel | undefined;
  alice.parts.panel.adoptView((events) => (restored = new RecordingPanel(events, () => {}, 'view')), {
    version: 2,
    selected: 'bob',
    drafts: { bob: 'halb geschrieben' },
    hintsCollapsed: false,
    dismissedHints: [],
  });
  restored!.events.message({ type: 'ready' });
  assert.deepEqual(
    restored!.posts.filter((post) => post.type === 'focus'),
    [{ type: 'focus', conversation: 'bob', keyboard: false }],
    'not "everyone", and the keyboard stays in the editor VS Code gave it to',
  );

  for (const saved of [undefined, null, 'bob', { selected: 42 }, { selected: '' }, { selected: 'x'.repeat(300) }]) {
    let chat: RecordingPanel | undefined;
    alice.parts.panel.adoptView((events) => (chat = new RecordingPanel(events, () => {}, 'view')), saved);
    chat!.events.message({ type: 'ready' });
    assert.equal(focusOf(chat!), EVERYONE, `saved ${JSON.stringify(saved)?.slice(0, 40)}`);
  }

  // VS Code makes the view some time after it was asked to show it.
  const shown: boolean[] = [];
  const panels = new PanelHost({
    t: (message) => message,
    log: { warn: () => {} },
    createPanel: () => assert.fail('no editor tab'),
    showView: (preserveFocus) => shown.push(preserveFocus),
    session: alice.parts.session,
    connectionView: () => ({ kind: 'disconnected' }),
    standing: () => ({}),
    actions: {
      send: async () => {},
      snippet: async () => {},
      connect: async () => {},
      newConversation: async () => {},
      raiseHand: async () => {},
      reconnectNow: () => {},
    },
  });
  panels.open('carol', { preserveFocus: true });
  assert.deepEqual(shown, [true]);
  let late: RecordingPanel | undefined;
  panels.adoptView((events) => (late = new RecordingPanel(events, () => {}, 'view')), { selected: 'bob' });
  late!.events.message({ type: 'ready' });
  assert.equal(focusOf(late!), 'carol');
  panels.dispose();
});

test('a chat view VS Code disposed is let go of: its events are ignored, and Open Chat asks for the view again', async () => {
  const alice = host();
  alice.parts.panel.open();
  const first = alice.panel!;
  first.events.closed();
  assert.equal(alice.parts.panel.visible, false);
  first.events.message({ type: 'ready' });
  assert.deepEqual(
    types(first).filter((type) => type === 'init'),
    [],
    'not answered',
  );
  alice.parts.panel.open('bob');
  assert.deepEqual(alice.viewShown, [false, false]);
  const second = alice.panel!;
  assert.notEqual(second, first);
  assert.equal(focusOf(second), 'bob');
});

test("while a chat is in view, no wait before a reconnect is longer than 5 s, for a connection made later too; out of view the connection's own waits apply; the chat is told it is reconnecting", async () => {
  const first = await relay();
  const alice = host({ connectionOptions: { backoff: { initialMs: 60_000, maxMs: 60_000 } } });
  await alice.connect(first.port, 'Alice');
  alice.parts.lifecycle.disconnect();
  await alice.connect(first.port, 'Alice');
  const view = alice.panel!;
  assert.equal(view.visible, true);
  await first.close();
  const watched = await waitingMs(alice, 'waiting to reconnect');
  assert.ok(watched <= WATCHED_RETRY_MS, `a wait of ${watched} ms while the chat is in view`);
  const told = view.posts.filter((post) => post.type === 'connection').at(-1);
  assert.equal(
    told?.type === 'connection' && told.connection.kind,
    'reconnecting',
    'the chat shows presence as unknown while reconnecting',
  );

  view.show(false);
  alice.parts.lifecycle.retryNow();
  const unwatched = await waitingMs(alice, 'a long wait once nobody looks', (ms) => ms > WATCHED_RETRY_MS);
  assert.ok(unwatched >= 30_000, `${unwatched} ms`);

  view.show(true);
  await waitingMs(alice, 'the wait shortened as the chat comes into view', (ms) => ms <= WATCHED_RETRY_MS);
});
