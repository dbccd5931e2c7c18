/**
 * A window's reload: the extension's parts made anew over the storage that outlives it (the
 * storage all windows share, the window's own, the history's folder). A window that was
 * connected connects again by itself with its name and resume token, asking nothing; one
 * disconnected on purpose stays so; the history is there before any connect, names in their
 * case. The relay and the connections are real.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVERYONE } from '../../../src/protocol/panel';
import { RESUME_TOKENS } from '../../../src/extension/connection/resumeTokens';
import { WINDOW_SESSION, wasConnected } from '../../../src/extension/connection/windowSession';
import { historyFileName, historyKey } from '../../../src/extension/chat/history/historyFileNames';
import { readHistory } from '../../../src/extension/chat/history/historyStore';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { hostsForThisFile, local, MemorySecrets, MemoryStorage } from '../../helpers/extension/parts';
import { TeacherKeys } from '../../../src/extension/classroom/teacherKeys';
import { sleep } from '../../helpers/relay/peers';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

/** What VS Code keeps of a window's storage for its next activation: a copy, as the old window may write on. */
function copied(storage: MemoryStorage): MemoryStorage {
  const copy = new MemoryStorage();
  for (const [key, value] of storage.values) copy.values.set(key, value);
  return copy;
}

test('after a reload a window that was connected connects again by itself, with its name and resume token, asking nothing; its history is there before', async () => {
  const { port } = await relay();
  const keller = await framed(port, 'Frau Keller');
  const storage = new MemoryStorage();
  const before = host({ storage });
  await before.connect(port, 'Carla');
  keller.send({ type: 'send', id: 'k1', to: 'Carla', text: 'Vor dem Neuladen' });
  await before.item('Vor dem Neuladen');
  await before.until(() => storage.get(RESUME_TOKENS), 'the token kept');
  await before.until(() => readHistory(before.historyFiles, local(port), 'Carla')?.items.length, 'the history written');
  assert.equal(wasConnected(before.windowStorage), true);

  // The old window's connection lives on while the new one starts (its extension host is not gone yet).
  const after = host({ storage, windowStorage: copied(before.windowStorage) });
  assert.equal(after.parts.lifecycle.state.kind, 'idle');
  assert.deepEqual(
    after.parts.session.items.map((item) => item.content.kind === 'text' && item.content.text),
    ['Vor dem Neuladen'],
    'the history is shown before any connect',
  );
  assert.deepEqual(
    after.parts.session.conversations().map((view) => view.label),
    ['Everyone / hints', 'Frau Keller'],
  );
  assert.deepEqual(after.parts.lifecycle.view(), { kind: 'disconnected' }, 'the status line says offline');

  await after.parts.lifecycle.autoConnect();
  await after.until(() => after.parts.lifecycle.state.kind === 'connected' || undefined, 'connected again');
  const state = after.parts.lifecycle.connection?.state;
  assert.equal(
    state?.kind === 'connected' && state.name,
    'Carla',
    'the token took the name over, not refused as taken',
  );
  assert.deepEqual(after.person.asked, [], 'nothing asked');
  assert.deepEqual(after.panels, [], 'no chat opened on its own');
  await before.until(() => before.parts.lifecycle.state.kind === 'failed' || undefined, 'the old connection ended');

  keller.send({ type: 'send', id: 'k2', to: 'Carla', text: 'Nach dem Neuladen' });
  await after.item('Nach dem Neuladen');
  assert.equal(after.parts.session.items.length, 2, 'the history goes on in the same chat');
});

test('a window disconnected on purpose stays disconnected after a reload, and shows its history', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const storage = new MemoryStorage();
  const before = host({ storage });
  await before.connect(port, 'Carla');
  bob.send({ type: 'send', id: 'b1', to: 'Carla', text: 'Hallo' });
  await before.item('Hallo');
  before.parts.lifecycle.disconnect();
  assert.equal(wasConnected(before.windowStorage), false);
  before.dispose();

  const after = host({ storage, windowStorage: before.windowStorage, settings: { autoConnect: true } });
  await after.parts.lifecycle.autoConnect();
  assert.equal(after.parts.lifecycle.state.kind, 'idle');
  assert.deepEqual(after.person.asked, []);
  assert.equal(after.parts.session.items.length, 1, 'the history is shown');
});

test('a window whose name another window took over does not take it back after a reload', async () => {
  const { port } = await relay();
  const storage = new MemoryStorage();
  const first = host({ storage });
  await first.connect(port, 'Carla');
  await first.until(() => storage.get(RESUME_TOKENS), 'the token kept');
  const second = host({ storage });
  await second.connect(port, 'Carla');
  await first.until(() => first.parts.lifecycle.state.kind === 'failed' || undefined, 'the first window stopped');
  await first.until(() => !wasConnected(first.windowStorage) || undefined, 'the first window remembers it');
  first.dispose();
  const reloaded = host({ storage, windowStorage: first.windowStorage });
  await reloaded.parts.lifecycle.autoConnect();
  assert.equal(reloaded.parts.lifecycle.state.kind, 'idle');
  assert.equal(second.parts.lifecycle.state.kind, 'connected', 'the second window keeps the name');
});

test('a window closed while connected does not take its name back from the window that connected under it since', async () => {
  const { port } = await relay();
  const storage = new MemoryStorage();
  const first = host({ storage });
  await first.connect(port, 'Carla');
  await first.until(() => storage.get(RESUME_TOKENS), 'the token kept');
  // Closed: the window's extension host ends without a word, so its own storage still says connected.
  first.parts.lifecycle.dispose();
  assert.equal(wasConnected(first.windowStorage), true);
  const second = host({ storage });
  await second.connect(port, 'Carla');
  await second.until(() => second.parts.lifecycle.state.kind === 'connected' || undefined, 'the second window up');
  await second.until(
    () => (JSON.stringify(storage.get(RESUME_TOKENS)).includes(second.parts.lifecycle.windowId) ? true : undefined),
    'the second window keeps the token now',
  );

  const reopened = host({ storage, windowStorage: copied(first.windowStorage) });
  await reopened.parts.lifecycle.autoConnect();
  assert.equal(reopened.parts.lifecycle.state.kind, 'idle', 'the reopened window stays disconnected');
  assert.equal(wasConnected(reopened.windowStorage), false, 'and remembers that for its next start');
  assert.ok(reopened.log.includes('info: Another window connected as Carla since; this window stays disconnected.'));
  await sleep(200);
  assert.equal(second.parts.lifecycle.state.kind, 'connected', 'the second window keeps the name');
});

test('a teacher reconnects as a teacher after a reload without typing the key', async () => {
  const key = 'k3y-k3y-k3y-k3y';
  const { port } = await relay({ teacherKey: key });
  const storage = new MemoryStorage();
  const secrets = new MemorySecrets();
  await new TeacherKeys(secrets).store(local(port), key);
  const before = host({ storage, secrets });
  await before.connectAsTeacher(port, 'Frau Keller', key);
  before.dispose();
  const after = host({ storage, secrets, windowStorage: before.windowStorage });
  await after.parts.lifecycle.autoConnect();
  await after.until(() => after.parts.classroom.role === 'teacher', 'a teacher again');
  assert.deepEqual(after.person.asked, []);
});

test('a history written before names kept their case shows the name as a message wrote it, also in the To field', async () => {
  const storage = new MemoryStorage();
  const server = local(12999);
  await storage.update('relay.recentServers', ['127.0.0.1:12999']);
  await storage.update('relay.lastName', 'Carla');
  const lines = [
    { t: 'chat', v: 1, key: historyKey(server, 'Carla'), dialect: 'relay' },
    { t: 'label', conversation: 'frau keller', name: 'frau keller' },
    {
      t: 'item',
      item: {
        id: 'h1',
        conversation: EVERYONE,
        direction: 'in',
        from: 'Frau Keller',
        at: '2026-01-01T08:00:00.000Z',
        content: { kind: 'text', text: 'Tipp' },
      },
    },
    {
      t: 'item',
      item: {
        id: 'o1',
        conversation: 'frau keller',
        direction: 'out',
        from: 'Carla',
        at: '2026-01-01T08:01:00.000Z',
        content: { kind: 'text', text: 'Frage' },
        delivery: 'delivered',
      },
    },
  ];
  const probe = host({ storage });
  probe.historyFiles.replace(
    historyFileName(historyKey(server, 'Carla')),
    `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`,
  );
  probe.dispose();
  const window = host({ storage });
  assert.equal(window.parts.session.labelOf('frau keller'), 'Frau Keller');
  assert.deepEqual(
    window.parts.session.conversations().map((view) => view.label),
    ['Everyone / hints', 'Frau Keller'],
  );
  window.parts.panel.open();
  window.panel!.events.message({ type: 'ready' });
  const init = window.panel!.posts.find((post) => post.type === 'init');
  assert.ok(init?.type === 'init');
  assert.deepEqual(
    init.snapshot.conversations.map((view) => view.label),
    ['Everyone / hints', 'Frau Keller'],
  );
  assert.equal(storage.get(WINDOW_SESSION), undefined, 'nothing remembered for a window that never connected');
});

test('after a reload while the relay is away, the window keeps trying by itself and connects once the relay is back', async () => {
  const first = await relay();
  const storage = new MemoryStorage();
  const before = host({ storage });
  await before.connect(first.port, 'Carla');
  await before.until(() => storage.get(RESUME_TOKENS), 'the token kept');
  before.parts.lifecycle.dispose();
  await first.close();

  const after = host({ storage, windowStorage: copied(before.windowStorage) });
  await after.parts.lifecycle.autoConnect();
  assert.notEqual(after.parts.lifecycle.state.kind, 'failed', 'an unreachable relay is not the end of it');
  await after.until(() => after.parts.lifecycle.state.kind === 'waiting' || undefined, 'waiting to try again');
  await relay({ port: first.port });
  await after.until(() => after.parts.lifecycle.state.kind === 'connected' || undefined, 'connected once it is back');
  assert.deepEqual(after.person.asked, [], 'nothing asked');
  assert.deepEqual(
    after.person.shown.filter((shown) => shown.level !== 'progress'),
    [],
    'no error shown for the relay that was away',
  );
});
