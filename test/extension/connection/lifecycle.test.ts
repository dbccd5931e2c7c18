/**
 * The connection's life as the extension leads it, without VS Code: connect, disconnect,
 * Register Name, what a failed connect offers, auto-connect, settings changed while connected
 * and a reconnect after an unacknowledged message. A real relay over real TCP; the person at
 * the keyboard is scripted.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAST_NAME, RECENT_SERVERS } from '../../../src/extension/connection/connectTarget';
import { readHistory } from '../../../src/extension/chat/history/historyStore';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { freePort, sleep } from '../../helpers/relay/peers';
import { ROOT } from '../../helpers/paths';
import { FreezingProxy, german, hostsForThisFile, local, type ExtensionHost } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const proxies: FreezingProxy[] = [];
const peer = framedPeersForThisFile();
after(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
});

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

async function proxyTo(port: number): Promise<FreezingProxy> {
  const proxy = await FreezingProxy.start(port);
  proxies.push(proxy);
  return proxy;
}

/** A message to Bob that the frozen relay can neither take nor acknowledge: it stays pending. */
async function pendingMessage(alice: ExtensionHost, proxy: FreezingProxy, text: string) {
  proxy.freeze();
  alice.parts.session.sendText('Bob', text);
  const item = await alice.item(text);
  assert.equal(item.delivery, 'pending');
  return item;
}

test('Relay: Connect asks for server and name, shows the chat, remembers both, and introduces itself with the version of package.json', async () => {
  const { port, logs } = await relay();
  const alice = host();
  await alice.connect(port, 'Alice');
  assert.deepEqual(
    alice.person.asked.map((asked) => asked.kind),
    ['server', 'name'],
  );
  assert.deepEqual(
    alice.person.shown.map((shown) => shown.message),
    [`Connecting to 127.0.0.1:${port}…`],
  );
  assert.equal(alice.panels.length, 1, 'the chat opened');
  assert.deepEqual(alice.storage.get(RECENT_SERVERS), [`127.0.0.1:${port}`]);
  assert.equal(alice.storage.get(LAST_NAME), 'Alice');
  assert.ok(
    logs.some(
      (line) => line.includes('join') && line.includes('Alice') && line.includes(`"vscode-classroom-relay/${version}"`),
    ),
    logs.join('\n'),
  );
  await alice.parts.lifecycle.connect();
  assert.equal(alice.person.asked.length, 2, 'connecting again to where it is connected asks nothing');
  assert.equal(alice.panels.length, 1);
});

test('Disconnect ends a message still on its way out as failed, "Not sent: you disconnected."', async () => {
  const { port } = await relay();
  await peer(port, 'Bob');
  const proxy = await proxyTo(port);
  const alice = host();
  await alice.connect(proxy.port, 'Alice');
  const item = await pendingMessage(alice, proxy, 'Bist du da?');
  alice.parts.lifecycle.disconnect();
  const failed = await alice.item('Bist du da?', (candidate) => candidate.delivery === 'failed', 2000);
  assert.equal(failed.failure, 'Not sent: you disconnected.');
  assert.deepEqual(alice.panel?.item(item.id), failed, 'the panel shows it failed');
  assert.equal(alice.parts.lifecycle.state.kind, 'idle');
  assert.deepEqual(alice.parts.lifecycle.view(), { kind: 'disconnected' });
  assert.ok(alice.log.includes('info: Disconnected by you.'));
  await sleep(300);
  assert.equal(alice.parts.session.find(item.id)?.delivery, 'failed', 'and stays failed');
  alice.parts.lifecycle.disconnect();
  assert.equal(alice.person.shown.at(-1)?.message, 'Relay: not connected.');
});

test('in German, a message left behind by Disconnect reads "Nicht gesendet: Du hast die Verbindung getrennt."', async () => {
  const { port } = await relay();
  await peer(port, 'Bob');
  const proxy = await proxyTo(port);
  const dana = host({ t: german });
  await dana.connect(proxy.port, 'Dana');
  await pendingMessage(dana, proxy, 'Hallo?');
  dana.parts.lifecycle.disconnect();
  const failed = await dana.item('Hallo?', (candidate) => candidate.delivery === 'failed', 2000);
  assert.equal(failed.failure, 'Nicht gesendet: Du hast die Verbindung getrennt.');
});

test("Register Name while connected connects again under the new name; a message left behind fails in the old name's history", async () => {
  const { port } = await relay();
  await peer(port, 'Bob');
  const proxy = await proxyTo(port);
  const alice = host();
  await alice.connect(proxy.port, 'Alice');
  await pendingMessage(alice, proxy, 'Noch unterwegs');
  alice.person.answer('name', 'Alicia');
  const registered = alice.parts.lifecycle.registerName();
  await alice.until(() => alice.parts.lifecycle.target?.name === 'Alicia', 'the switch to Alicia');
  proxy.thaw();
  await registered;
  assert.deepEqual(alice.person.asked.at(-1), { kind: 'name', args: ['Alice', 'Relay: Register Name'] });
  await alice.until(() => alice.parts.lifecycle.state.kind === 'connected', 'connected again');
  assert.equal(alice.parts.lifecycle.connection?.name, 'Alicia');
  assert.deepEqual(alice.savedNames, ['Alicia']);
  assert.equal(alice.storage.get(LAST_NAME), 'Alicia');
  assert.deepEqual(alice.parts.session.items, [], "the chat is now Alicia's");
  alice.dispose();
  const stored = readHistory(alice.historyFiles, local(proxy.port), 'Alice');
  assert.deepEqual(
    stored?.items.map((item) => [item.content.kind === 'text' && item.content.text, item.delivery, item.failure]),
    [['Noch unterwegs', 'failed', 'Not sent: you disconnected.']],
  );
});

test('Register Name while not connected keeps the name for the next connect, which uses it without asking', async () => {
  const bea = host();
  bea.person.answer('name', 'Bea');
  await bea.parts.lifecycle.registerName();
  assert.equal(bea.person.shown.at(-1)?.message, 'Relay: your name is now Bea. It is used when you connect.');
  const { port } = await relay();
  bea.person.answer('server', local(port));
  await bea.parts.lifecycle.connect();
  assert.deepEqual(
    bea.person.asked.map((asked) => asked.kind),
    ['name', 'server'],
    'only the server is asked for',
  );
  const state = bea.parts.lifecycle.state;
  assert.equal(state.kind === 'connected' && state.name, 'Bea');
});

test('a failed connect shows why with Retry, and Retry connects once the relay is up', async () => {
  const port = await freePort();
  const alice = host();
  alice.person.answer('server', local(port)).answer('name', 'Alice');
  alice.person.reply(/^Could not connect/, async () => {
    assert.deepEqual(alice.panel?.posts.filter((post) => post.type === 'connection').at(-1), {
      type: 'connection',
      maxTextBytes: 16384,
      connection: {
        kind: 'failed',
        reason: `Could not connect to 127.0.0.1:${port}: the connection was refused. Is the relay running, and is the port right?`,
      },
    });
    await relay({ port });
    return 'Retry';
  });
  await alice.parts.lifecycle.connect();
  const error = alice.person.shown.find((shown) => shown.level === 'error');
  assert.deepEqual(error?.actions, ['Retry', 'Change Server']);
  assert.equal(alice.parts.lifecycle.state.kind, 'connected');
  assert.deepEqual(alice.parts.lifecycle.view(), {
    kind: 'connected',
    name: 'Alice',
    server: `127.0.0.1:${port}`,
    dialect: 'Classroom Relay',
  });
  assert.equal(alice.person.asked.length, 2, 'Retry asks nothing again');
});

test('after a failed connect, Change Server asks for the server only and connects there', async () => {
  const wrong = await freePort();
  const { port } = await relay();
  const alice = host();
  alice.person.answer('server', local(wrong)).answer('name', 'Alice');
  alice.person.reply(/^Could not connect/, 'Change Server');
  alice.person.answer('server', local(port));
  await alice.parts.lifecycle.connect();
  assert.deepEqual(
    alice.person.asked.map((asked) => asked.kind),
    ['server', 'name', 'server'],
  );
  assert.deepEqual(alice.person.asked[2]?.args, [[], local(wrong)], 'offering the address that failed to correct');
  assert.equal(alice.parts.lifecycle.state.kind, 'connected');
  assert.deepEqual(
    alice.storage.get(RECENT_SERVERS),
    [`127.0.0.1:${port}`],
    'only the server that worked is remembered',
  );
});

test('a name that is taken offers Change Name, which asks for the name only and connects under it', async () => {
  const { port } = await relay();
  await peer(port, 'Bob');
  const other = host();
  other.person.answer('server', local(port)).answer('name', 'bob');
  other.person.reply(/already taken/, 'Change Name');
  other.person.answer('name', 'Bobby');
  await other.parts.lifecycle.connect();
  const error = other.person.shown.find((shown) => shown.level === 'error');
  assert.equal(error?.message, `The name "bob" is already taken on 127.0.0.1:${port}. Choose another name.`);
  assert.deepEqual(error?.actions, ['Retry', 'Change Name']);
  assert.deepEqual(
    other.person.asked.map((asked) => asked.kind),
    ['server', 'name', 'name'],
  );
  assert.equal(other.parts.lifecycle.connection?.name, 'Bobby');
  assert.equal(other.parts.lifecycle.state.kind, 'connected');
});

test('auto-connect connects on startup with the server and name of the settings, asking nothing and opening no chat', async () => {
  const { port } = await relay();
  const alice = host({ settings: { autoConnect: true, server: local(port), name: 'Alice' } });
  await alice.parts.lifecycle.autoConnect();
  assert.equal(alice.parts.lifecycle.state.kind, 'connected');
  assert.deepEqual(alice.person.asked, []);
  assert.equal(alice.panels.length, 0);
  const nameless = host({ settings: { autoConnect: true, server: local(port) } });
  await nameless.parts.lifecycle.autoConnect();
  const off = host({ settings: { autoConnect: false, server: local(port), name: 'Carol' } });
  await off.parts.lifecycle.autoConnect();
  for (const quiet of [nameless, off]) {
    assert.equal(quiet.parts.lifecycle.state.kind, 'idle');
    assert.deepEqual([quiet.person.asked, quiet.person.shown, quiet.panels.length], [[], [], 0]);
  }
});

test('settings changed while connected: the history shrinks to the new size at once, notifications follow the new level, the connection stays', async () => {
  const { port } = await relay();
  const bob = await peer(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.panel?.show(false);
  for (let index = 1; index <= 4; index++)
    bob.send({ type: 'send', id: `m${index}`, to: 'Alice', text: `Nachricht ${index}` });
  await alice.item('Nachricht 4');
  const connection = alice.parts.lifecycle.connection;
  Object.assign(alice.settings, { historySize: 2, notifications: 'off', dialect: 'course', server: local(1) });
  alice.parts.session.settingsChanged();
  assert.deepEqual(
    alice.parts.session.items.map((item) => item.content.kind === 'text' && item.content.text),
    ['Nachricht 3', 'Nachricht 4'],
  );
  const notified = alice.person.shown.filter((shown) => shown.level === 'info').length;
  bob.send({ type: 'send', id: 'm5', to: 'Alice', text: 'Nachricht 5' });
  await alice.item('Nachricht 5');
  assert.equal(
    alice.person.shown.filter((shown) => shown.level === 'info').length,
    notified,
    'notifications are off now',
  );
  assert.equal(
    alice.parts.lifecycle.connection,
    connection,
    'a changed server or dialect does not silently move the connection',
  );
  assert.deepEqual(
    alice.parts.lifecycle.state.kind === 'connected' && [
      alice.parts.lifecycle.state.dialect,
      alice.parts.lifecycle.target?.server.port,
    ],
    ['relay', port],
  );
  alice.dispose();
  const stored = readHistory(alice.historyFiles, local(port), 'Alice');
  assert.deepEqual(
    stored?.items.map((item) => item.content.kind === 'text' && item.content.text),
    ['Nachricht 4', 'Nachricht 5'],
  );
});

test('a message the relay does not acknowledge in time makes the extension reconnect, show it, and deliver the message once', async () => {
  const { port } = await relay();
  const bob = await peer(port, 'Bob');
  const proxy = await proxyTo(port);
  const alice = host({ connectionOptions: { framed: { ackTimeoutMs: 400, keepaliveMs: 60_000 } } });
  await alice.connect(proxy.port, 'Alice');
  const item = await pendingMessage(alice, proxy, 'Kommt das an?');
  await alice.until(
    () =>
      alice.log.find((line) =>
        line.startsWith('warn: Connection lost (the relay did not confirm a message in time); reconnecting in'),
      ),
    'the reconnect in the log',
  );
  await alice.until(
    () => alice.panel?.posts.some((post) => post.type === 'connection' && post.connection.kind === 'reconnecting'),
    'the panel to show the reconnect',
  );
  assert.equal(alice.parts.session.find(item.id)?.delivery, 'pending', 'still on its way while reconnecting');
  proxy.thaw();
  await alice.item('Kommt das an?', (candidate) => candidate.delivery === 'delivered');
  await bob.next('message', (frame) => frame.text === 'Kommt das an?');
  await sleep(300);
  assert.equal(
    bob.frames.filter((frame) => frame.type === 'message' && frame.text === 'Kommt das an?').length,
    0,
    'delivered exactly once',
  );
  assert.equal(alice.parts.lifecycle.state.kind, 'connected');
});
