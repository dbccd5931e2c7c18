/**
 * A relay of several addresses in the extension: the setting and the Connect box take the list,
 * the status bar names the node the window is on, and moving to another node keeps what is filed
 * under the relay (the resume token, the history, the teacher key). Two relays on 127.0.0.1 play
 * the nodes; without a cluster between them, each knows only the clients connected to it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionState } from '../../../src/client/connectionTypes';
import { parseServerAddress, relayKey, type ServerAddress } from '../../../src/protocol/address';
import { readHistory } from '../../../src/extension/chat/history/historyStore';
import { historyKey } from '../../../src/extension/chat/history/historyFileNames';
import { serverKey, TeacherKeys } from '../../../src/extension/classroom/teacherKeys';
import { ResumeTokens } from '../../../src/extension/connection/resumeTokens';
import { trustKey } from '../../../src/extension/connection/trust';
import { readSettings } from '../../../src/extension/settings';
import { statusBarText } from '../../../src/extension/statusBarText';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { english, german, hostsForThisFile, MemoryStorage } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

const KEY = 'kreide-tafel-schwamm-20';

function twoNodes(first: number, second: number): ServerAddress {
  const read = parseServerAddress(`127.0.0.1:${first}, 127.0.0.1:${second}`);
  assert.ok(read.ok);
  return read.address;
}

const onNode = (port: number): ConnectionState => ({
  kind: 'connected',
  dialect: 'relay',
  name: 'Anna',
  online: [],
  node: { transport: 'tcp', host: '10.0.0.6', port },
});

test('the status bar names the node when the relay has several addresses, in English and German', () => {
  const plain = statusBarText(onNode(12345), 0, english);
  assert.equal(plain.text, '$(comment-discussion) Anna · 10.0.0.6:12345');
  assert.equal(
    plain.tooltip,
    "Relay: connected as Anna\nThrough 10.0.0.6:12345, one of the relay's addresses.\nClick to open the chat.",
  );
  assert.match(plain.label, /Through 10\.0\.0\.6:12345/);
  const inClass = statusBarText(onNode(12345), 2, german, { classCode: '4kx-92m', now: new Date() });
  assert.equal(inClass.text, '$(bell-dot) Anna · 4kx-92m · 10.0.0.6:12345 2');
  assert.match(inClass.tooltip, /\nÜber 10\.0\.0\.6:12345, eine der Adressen des Relays\.\n/);
  // One address: as it always was.
  const single = statusBarText({ kind: 'connected', dialect: 'relay', name: 'Anna', online: [] }, 0, english);
  assert.equal(single.text, '$(comment-discussion) Anna');
  assert.doesNotMatch(single.tooltip, /Through/);
});

test('the relay.server setting takes several addresses, and says clearly when they name two classes', () => {
  const read = readSettings(
    (key) => (key === 'server' ? '10.0.0.5:12345, 10.0.0.6:12345/4kx-92m' : undefined),
    english,
  );
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.settings.server, {
    transport: 'tcp',
    host: '10.0.0.5',
    port: 12345,
    classCode: '4kx-92m',
    alternates: [{ transport: 'tcp', host: '10.0.0.6', port: 12345 }],
  });
  const mixed = readSettings(
    (key) => (key === 'server' ? '10.0.0.5:12345/4kx-92m, 10.0.0.6/abc-def' : undefined),
    english,
  );
  assert.equal(mixed.settings.server, undefined);
  assert.deepEqual(mixed.problems, [
    'Setting relay.server: the addresses name two classes, 4kx-92m and abc-def; the addresses of one relay name one class: write its code once, after the last address. It is ignored; you will be asked for the server.',
  ]);
});

test('what is filed under a relay of several addresses is filed under all of them; under one address as before', () => {
  const relayOfTwo = twoNodes(12345, 12346);
  assert.equal(serverKey({ ...relayOfTwo, classCode: '4kx-92m' }), '127.0.0.1:12345, 127.0.0.1:12346/4kx-92m');
  assert.equal(trustKey(relayOfTwo), '127.0.0.1:12345, 127.0.0.1:12346');
  assert.equal(historyKey(relayOfTwo, 'Anna'), 'relay.history/127.0.0.1:12345,127.0.0.1:12346/anna');
  const one = parseServerAddress('tls://Relay.Schule.ch/4kx-92m');
  assert.ok(one.ok);
  assert.equal(serverKey(one.address), 'tls://relay.schule.ch:12346/4kx-92m');
  assert.equal(trustKey(one.address), 'relay.schule.ch:12346');
  assert.equal(historyKey(one.address, 'Anna'), 'relay.history/Relay.Schule.ch:12346/4kx-92m/anna');
});

test('the same addresses in another order find what was filed: teacher key, history, trusted certificate', () => {
  const ab = twoNodes(12345, 12346);
  const ba = twoNodes(12346, 12345);
  assert.equal(serverKey({ ...ba, classCode: '4kx-92m' }), serverKey({ ...ab, classCode: '4kx-92m' }));
  assert.equal(historyKey(ba, 'Anna'), historyKey(ab, 'Anna'));
  assert.equal(trustKey(ba), trustKey(ab));
});

test('when the node closes, the window is on the other within seconds, as the teacher, with the same resume token and history, and the status bar says where', async () => {
  const a = await relay({ teacherKey: KEY });
  const b = await relay({ teacherKey: KEY });
  const server = twoNodes(a.port, b.port);
  const bobOnA = await framed(a.port, 'Bob');
  const storage = new MemoryStorage();
  const window = host({ storage });
  await new TeacherKeys(window.secrets).store(server, KEY);
  window.person.answer('server', server).answer('name', 'Anna');
  await window.parts.lifecycle.connect();
  await window.until(() => window.parts.classroom.role === 'teacher', 'a teacher on the first node');
  const state = () => window.parts.lifecycle.connection?.state;
  assert.match(statusBarText(state()!, 0, english).text, new RegExp(` · 127\\.0\\.0\\.1:${a.port}$`));

  bobOnA.send({ type: 'send', id: 'b1', to: 'Anna', text: 'Vor dem Wechsel' });
  await window.item('Vor dem Wechsel');
  const address = relayKey(server);
  const tokenOnA = await window.until(() => new ResumeTokens(storage, Date.now).get(address, 'Anna'), 'the token kept');

  const bobOnB = await framed(b.port, 'Bob');
  await a.close();
  const movedAt = Date.now();
  await window.until(() => {
    const now = state();
    return now?.kind === 'connected' && now.node?.port === b.port;
  }, 'on the second node');
  assert.ok(Date.now() - movedAt < 3000);
  await window.until(() => window.parts.classroom.role === 'teacher', 'a teacher on the second node');
  assert.match(statusBarText(state()!, 0, english).text, new RegExp(` · 127\\.0\\.0\\.1:${b.port}$`));

  // The token the first node gave went to the second (which, not clustered with it, gives a new one).
  const tokenOnB = await window.until(() => {
    const kept = new ResumeTokens(storage, Date.now).get(address, 'Anna');
    return kept !== undefined && kept.token !== tokenOnA.token && kept;
  }, 'the token kept for the relay');
  assert.ok(tokenOnB);
  bobOnB.send({ type: 'send', id: 'b2', to: 'Anna', text: 'Nach dem Wechsel' });
  await window.item('Nach dem Wechsel');
  await window.until(
    () => readHistory(window.historyFiles, server, 'Anna')?.items.length === 2 || undefined,
    'one history for the relay, with both messages',
  );
});
