/**
 * The chat history in files under the extension's storage folder: appended as messages come,
 * rewritten only when it has grown past its bound, bounded per conversation, per chat and in
 * total, unused histories pruned, damage skipped with one log line, and what VS Code's global
 * state held moved into files once. Real files in a temporary folder; a real relay over TCP
 * where a chat is involved.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatModel } from '../../../src/extension/chat/chatModel';
import { historyFileName, historyKey } from '../../../src/extension/chat/history/historyFileNames';
import { NodeHistoryFiles } from '../../../src/extension/chat/history/historyFiles';
import { replay } from '../../../src/extension/chat/history/historyLines';
import { HistoryStore, readHistory } from '../../../src/extension/chat/history/historyStore';
import type { StoredChat } from '../../../src/extension/chat/history/storedChat';
import type { ServerAddress } from '../../../src/protocol/address';
import { EVERYONE } from '../../../src/protocol/panel';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import {
  english,
  hostsForThisFile,
  local,
  MemoryStorage,
  temporaryFolder,
  type ExtensionHost,
} from '../../helpers/extension/parts';
import { ManualClock } from '../../helpers/time/manualClock';
import { eventually } from '../../helpers/time/wait';
import { UNTHROTTLED_INPUT } from '../../helpers/relay/allowances';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

/** The history folder of a machine, counting what is written to it. */
class CountingFiles extends NodeHistoryFiles {
  appends = 0;
  appended = 0;
  replaces = 0;
  replaced = 0;

  override append(name: string, text: string): void {
    super.append(name, text);
    this.appends++;
    this.appended += Buffer.byteLength(text);
  }

  override replace(name: string, text: string): void {
    super.replace(name, text);
    this.replaces++;
    this.replaced += Buffer.byteLength(text);
  }
}

const fileOf = (server: ServerAddress, name: string) => historyFileName(historyKey(server, name));
const texts = (items: readonly { content: StoredChat['items'][number]['content'] }[]) =>
  items.map((item) => (item.content.kind === 'text' ? item.content.text : item.content.snippet.code));
const warnings = (alice: ExtensionHost) =>
  alice.log.filter((line) => line.startsWith('warn: ') && !line.startsWith('warn: Connection lost'));

test('messages are appended to the history file of this server and name as they come, never rewritten while chatting; a reload reads them back', async () => {
  const { port } = await relay({ rate: { perMinute: 60_000, burst: 1000 }, input: UNTHROTTLED_INPUT });
  const bob = await framed(port, 'Bob');
  const storage = new MemoryStorage();
  const files = new CountingFiles(join(storage.folder, 'history'));
  const alice = host({ storage, historyFiles: files });
  await alice.connect(port, 'Alice');
  const file = join(files.folder, fileOf(local(port), 'Alice'));
  // Five bursts, each written before the next: a history rewritten on each write would write 1 + 2 + … + 5 bursts.
  for (let burst = 0; burst < 5; burst++) {
    for (let index = 0; index < 40; index++)
      bob.send({
        type: 'send',
        id: `b${burst}-${index}`,
        to: 'Alice',
        text: `Nachricht ${burst}.${index} ${'x'.repeat(100)}`,
      });
    const last = `Nachricht ${burst}.39 ${'x'.repeat(100)}`;
    await alice.item(last);
    await eventually(
      () => existsSync(file) && readFileSync(file, 'utf8').includes(last),
      () => `burst ${burst} in the file`,
    );
  }
  alice.parts.session.markAllRead();
  alice.parts.session.sendText('Bob', 'Alles angekommen');
  await alice.item('Alles angekommen', (item) => item.delivery === 'delivered');
  await eventually(
    () => readFileSync(file, 'utf8').includes('"delivery":"delivered"'),
    () => 'the delivery in the file',
  );
  const size = readFileSync(file).length;
  assert.ok(files.appends >= 5, `appended in bursts: ${files.appends}`);
  assert.ok(
    files.replaces <= 1,
    `rewritten at most once, when the relay's dialect was first written down: ${files.replaces}`,
  );
  assert.ok(
    files.appended + files.replaced < size * 1.2,
    `${files.appended + files.replaced} bytes written for a file of ${size}`,
  );
  assert.deepEqual(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { t: string }).t)
      .filter((type) => type !== 'item' && type !== 'label'),
    ['chat', 'unread', 'read-all', 'delivery'],
    'one line per change: the header and counts of the one rewrite, all read, the delivery',
  );
  alice.dispose();

  const reloaded = host({ storage });
  await reloaded.connect(port, 'Alice');
  assert.equal(reloaded.parts.session.items.length, 201);
  assert.deepEqual(texts(reloaded.parts.session.items).slice(-2), [
    `Nachricht 4.39 ${'x'.repeat(100)}`,
    'Alles angekommen',
  ]);
  assert.equal(reloaded.parts.session.items.at(-1)?.delivery, 'delivered');
  assert.deepEqual(
    reloaded.parts.session.conversations().map((view) => [view.label, view.unread]),
    [
      ['Everyone / hints', 0],
      ['Bob', 0],
    ],
    'marked read before the reload, read after it',
  );
  assert.deepEqual(warnings(reloaded), []);
});

test("what VS Code's global state held is moved into files once, each server and name its own, and removed from the global state", async () => {
  const { port } = await relay();
  const storage = new MemoryStorage();
  const earlier = new ChatModel(100, 'Everyone');
  earlier.receive({ kind: 'message', from: 'Bob', text: 'Von früher', at: '2026-01-05T10:00:00.000Z' });
  earlier.sent('m1', 'Carol', 'Alice', { kind: 'text', text: 'An Carol' });
  // As it was kept, damage and all: what is read back is checked, not trusted.
  const stored = JSON.parse(JSON.stringify(earlier.toJSON())) as {
    items: unknown[];
    labels?: unknown;
    unread: unknown;
  };
  stored.items.push({ id: 7, damaged: true });
  delete stored.labels;
  // Counts the old state kept without end: for guests long gone, and more than the chat holds.
  stored.unread = { bob: 7, gast1: 3, gast2: 4 };
  const elsewhere: ServerAddress = { transport: 'tcp', host: '10.0.0.9', port: 12345 };
  await storage.update(historyKey(local(port), 'Alice'), stored);
  await storage.update(historyKey(elsewhere, 'Alice'), earlier.toJSON());
  await storage.update('relay.lastName', 'Alice');
  const alice = host({ storage });
  await alice.connect(port, 'Alice');
  assert.deepEqual(texts(alice.parts.session.items), ['Von früher', 'An Carol']);
  assert.equal(alice.parts.session.find('m1')?.delivery, 'failed', 'pending when the window closed: failed now');
  assert.deepEqual(
    alice.parts.session
      .conversations()
      .filter((view) => view.unread > 0)
      .map((view) => [view.label, view.unread]),
    [['Bob', 1]],
    'unread only where the chat has messages, at most as many as it has',
  );
  assert.deepEqual(
    storage.keys().filter((key) => key.startsWith('relay.history/')),
    [],
    'nothing of the history is left in the global state',
  );
  assert.equal(storage.get('relay.lastName'), 'Alice', 'the rest of the global state stays');
  assert.deepEqual(
    texts(readHistory(alice.historyFiles, elsewhere, 'Alice')?.items ?? []),
    ['Von früher', 'An Carol'],
    "the other server's history moved too",
  );
  assert.deepEqual(
    alice.log.filter((line) => /chat histor/.test(line)),
    [
      "info: 2 chat histories were moved from VS Code's state into files.",
      `warn: The chat history of Alice @ 127.0.0.1:${port} had 1 damaged lines; they were skipped.`,
    ],
  );
  alice.dispose();
  const again = host({ storage });
  await again.connect(port, 'Alice');
  assert.deepEqual(texts(again.parts.session.items), ['Von früher', 'An Carol']);
  assert.deepEqual(
    again.log.filter((line) => /chat histor/.test(line)),
    [],
    'moved once; the damaged line is gone from the file',
  );
});

test('damaged lines of a history are skipped with one log line and the file is written anew without them', async () => {
  const { port } = await relay();
  const storage = new MemoryStorage();
  const folder = join(storage.folder, 'history');
  mkdirSync(folder, { recursive: true });
  const good = new ChatModel(100, 'Everyone');
  const lines: string[] = [];
  good.journal = (record) => lines.push(JSON.stringify(record));
  good.receive({ kind: 'message', from: 'Bob', text: 'eins', at: '2026-01-05T10:00:00.000Z' });
  good.receive({ kind: 'message', from: 'Bob', text: 'zwei', at: '2026-01-05T10:00:01.000Z' });
  const file = join(folder, fileOf(local(port), 'Alice'));
  // A line that is not JSON, an item without content, a record of no known kind, binary junk, and a last
  // line cut off by a crash.
  writeFileSync(
    file,
    [
      lines[0],
      'not json at all',
      lines[1],
      '{"t":"item","item":{"id":"x"}}',
      '{"t":"surprise"}',
      '\u0000\u0001\uFFFD',
      lines[2],
      '{"t":"item","item":{"id":"cut',
    ].join('\n'),
  );
  const alice = host({ storage });
  await alice.connect(port, 'Alice');
  assert.deepEqual(texts(alice.parts.session.items), ['eins', 'zwei']);
  assert.deepEqual(warnings(alice), [
    `warn: The chat history of Alice @ 127.0.0.1:${port} had 5 damaged lines; they were skipped.`,
  ]);
  alice.parts.session.sendText('Bob', 'drei');
  await eventually(
    () => readFileSync(file, 'utf8').includes('drei'),
    () => 'the new message in the file',
  );
  const rewritten = readFileSync(file, 'utf8');
  assert.doesNotMatch(rewritten, /not json|surprise|"cut/);
  assert.ok(!rewritten.includes('\u0000'), 'no binary junk');
  assert.ok(rewritten.endsWith('\n'));
  assert.deepEqual(replay(rewritten).skipped, 0);
});

test('a history that cannot be read at all (a folder in its place) leaves the chat empty with one log line, and one more when it cannot be saved; nothing breaks', async () => {
  const { port } = await relay();
  await framed(port, 'Bob');
  const storage = new MemoryStorage();
  mkdirSync(join(storage.folder, 'history', fileOf(local(port), 'Alice')), { recursive: true });
  const alice = host({ storage });
  await alice.connect(port, 'Alice');
  assert.deepEqual(alice.parts.session.items, []);
  alice.parts.session.sendText('Bob', 'Hallo');
  alice.parts.session.sendText('Bob', 'Noch eine');
  await alice.item('Noch eine', (item) => item.delivery === 'delivered');
  await alice.until(() => warnings(alice).length >= 2 || undefined, 'the warnings');
  const shown = warnings(alice);
  assert.equal(shown.length, 2, shown.join('\n'));
  assert.match(
    shown[0]!,
    new RegExp(`^warn: The chat history of Alice @ 127\\.0\\.0\\.1:${port} could not be read and is left out: `),
  );
  assert.match(
    shown[1]!,
    new RegExp(`^warn: The chat history of Alice @ 127\\.0\\.0\\.1:${port} could not be saved: `),
  );
  assert.equal(alice.parts.lifecycle.state.kind, 'connected');
});

test("a history grows by appending and is rewritten from the chat once it doubled: the file stays within twice the chat's bound", () => {
  const folder = temporaryFolder();
  const files = new CountingFiles(folder);
  const clock = new ManualClock();
  const log: string[] = [];
  const store = new HistoryStore({
    files,
    storage: new MemoryStorage(),
    clock,
    log: { info: (line) => log.push(line), warn: (line) => log.push(line), error: (line) => log.push(line) },
    t: english,
    bounds: { growthBytes: 20_000 },
  });
  const server = local(4000);
  const model = new ChatModel(50, 'Everyone');
  assert.equal(
    store.open(server, 'Alice', () => model.toJSON()),
    undefined,
  );
  model.journal = (record) => store.record(record);
  const file = join(folder, fileOf(server, 'Alice'));
  let largest = 0;
  for (let index = 0; index < 1000; index++) {
    model.receive({
      kind: 'message',
      from: index % 3 === 0 ? 'Carol' : 'Bob',
      text: `#${index} ${'y'.repeat(200)}`,
      at: new Date(Date.UTC(2026, 0, 1, 8, 0, index)).toISOString(),
    });
    if (index % 10 === 9) clock.advance(1000);
    if (existsSync(file)) largest = Math.max(largest, readFileSync(file).length);
  }
  store.dispose();
  const modelBytes = Buffer.byteLength(JSON.stringify(model.toJSON()));
  assert.ok(files.replaces >= 3, `rewritten ${files.replaces} times`);
  assert.ok(
    largest < 2 * modelBytes + 20_000 + 10 * 400,
    `the file reached ${largest} bytes; the chat has ${modelBytes}`,
  );
  const restored = new ChatModel(50, 'Everyone');
  restored.restore(replay(readFileSync(file, 'utf8')).stored, 'interrupted');
  assert.deepEqual(texts(restored.history), texts(model.history), 'read back, the file gives the chat as it was');
  assert.ok(replay(readFileSync(file, 'utf8')).stored.items.length < 120, 'and holds little beyond it');
  assert.deepEqual(log, []);
  assert.equal(clock.pending, 0, 'no timer left behind');
});

test("a chat keeps each conversation within its bytes and all of them within the chat's, and unread counts only for what it still lists", () => {
  const model = new ChatModel(1000, 'Everyone', { conversationBytes: 5000, chatBytes: 12_000 });
  const at = '2026-01-01T08:00:00.000Z';
  for (let index = 0; index < 20; index++)
    model.receive({ kind: 'message', from: 'Bob', text: `${index} ${'b'.repeat(1000)}`, at });
  const bytesOf = (conversation: string) =>
    model.history
      .filter((item) => item.conversation === conversation)
      .reduce((sum, item) => sum + Buffer.byteLength(JSON.stringify(item)), 0);
  assert.ok(bytesOf('bob') <= 5000 && bytesOf('bob') > 3000, `Bob's conversation holds ${bytesOf('bob')} bytes`);
  assert.equal(
    model.conversations().find((view) => view.id === 'bob')?.unread,
    model.history.filter((item) => item.conversation === 'bob').length,
    'no more unread than there are messages',
  );
  for (const name of ['Carol', 'Dan', 'Eve', 'Finn'])
    for (let index = 0; index < 4; index++)
      model.receive({ kind: 'message', from: name, text: `${name} ${'c'.repeat(1000)}`, at });
  const total = model.history.reduce((sum, item) => sum + Buffer.byteLength(JSON.stringify(item)), 0);
  assert.ok(total <= 12_000, `the chat holds ${total} bytes`);
  assert.deepEqual(
    model
      .conversations()
      .filter((view) => view.id !== EVERYONE)
      .map((view) => view.label),
    ['Finn', 'Eve', 'Dan'],
    'the oldest conversations went',
  );
  assert.equal(model.totalUnread, model.history.length, 'the unread count of what went went with it');
});

test('histories not used for 90 days are removed, then the least recently used while all are over the total; the open one, other files and a fresh one stay', () => {
  const folder = temporaryFolder();
  const files = new NodeHistoryFiles(folder);
  const clock = new ManualClock(Date.now());
  const log: string[] = [];
  const store = new HistoryStore({
    files,
    storage: new MemoryStorage(),
    clock,
    log: { info: (line) => log.push(line), warn: (line) => log.push(line), error: (line) => log.push(line) },
    t: english,
    bounds: { totalBytes: 3000, fileBytes: 2500 },
  });
  const server = (port: number): ServerAddress => ({ transport: 'tcp', host: '192.168.1.10', port });
  const write = (port: number, bytes: number, daysAgo: number) => {
    const file = join(folder, fileOf(server(port), 'Alice'));
    writeFileSync(
      file,
      `${JSON.stringify({ t: 'chat', v: 1, key: historyKey(server(port), 'Alice') })}\n${' '.repeat(bytes)}\n`,
    );
    const when = new Date(Date.now() - daysAgo * 24 * 60 * 60 * 1000);
    utimesSync(file, when, when);
    return file;
  };
  const old = write(1, 100, 120);
  const openedOld = write(2, 100, 200);
  const leastRecent = write(3, 1000, 30);
  const lessRecent = write(4, 1000, 20);
  const recent = write(5, 1000, 1);
  writeFileSync(join(folder, 'notes.txt'), 'not a history');
  store.open(server(2), 'Alice', () => ({ version: 1, items: [], unread: {} }));
  assert.deepEqual(
    [old, openedOld, leastRecent, lessRecent, recent].map((file) => existsSync(file)),
    [false, true, false, true, true],
  );
  assert.ok(existsSync(join(folder, 'notes.txt')));
  assert.equal(log.length, 2, log.join('\n'));
  assert.equal(log[0], '1 chat histories not used for 90 days were removed.');
  assert.match(
    log[1]!,
    /^1 chat histories used least recently were removed: all together they were larger than \d+ MB\.$/,
  );
  log.length = 0;
  // A file larger than any history grows is not read (it could take all the memory there is).
  const huge = write(6, 3000, 0);
  assert.equal(
    store.open(server(6), 'Alice', () => ({ version: 1, items: [], unread: {} })),
    undefined,
  );
  assert.equal(existsSync(huge), false);
  assert.equal(log.length, 1, log.join('\n'));
  assert.match(
    log[0],
    /^The chat history of Alice @ 192\.168\.1\.10:6 is larger than \d+ MB, so it cannot be a history kept here; it was removed\.$/,
  );
  store.dispose();
});

test('names that are words of JavaScript objects (__Proto__, constructor) keep their history and their spelling across a reload', () => {
  const folder = temporaryFolder();
  const files = new NodeHistoryFiles(folder);
  const clock = new ManualClock();
  const services = {
    files,
    storage: new MemoryStorage(),
    clock,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    t: english,
  };
  const server = local(4000);
  const model = new ChatModel(100, 'Everyone');
  const store = new HistoryStore(services);
  store.open(server, 'Alice', () => model.toJSON());
  model.journal = (record) => store.record(record);
  model.sent('m1', '__Proto__', 'Alice', { kind: 'text', text: 'Hallo' });
  model.receive({ kind: 'message', from: 'constructor', text: 'Hallo zurück', at: clock.now().toISOString() });
  store.dispose();
  const file = () => replay(readFileSync(join(folder, fileOf(server, 'Alice')), 'utf8')).stored;
  const appended = file();
  const rewriting = new HistoryStore(services);
  rewriting.open(server, 'Alice', () => model.toJSON());
  rewriting.rewriteSoon();
  rewriting.dispose();
  for (const stored of [appended, file()]) {
    const restored = new ChatModel(100, 'Everyone');
    restored.restore(stored, 'interrupted');
    assert.deepEqual(
      restored.conversations().map((view) => [view.id, view.label]),
      [
        [EVERYONE, 'Everyone'],
        ['constructor', 'constructor'],
        ['__proto__', '__Proto__'],
      ],
    );
  }
});
