/**
 * Relay nodes joined through real NATS servers (serve --nats): clients on different nodes reach
 * each other in both dialects, names are unique across the nodes, and a node that loses NATS
 * takes nobody and lets its clients go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coursePeer, FramedPeer, startRelay } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';
import { knows, nodesForThisFile, TEACHER_KEY } from '../../helpers/cluster/inProcessNodes';
import { classRequest, makeClass } from '../../helpers/relay/classes';
import { RelayConnection } from '../../../src/client/connection';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { BUCKETS, nameEntryKey } from '../../../src/server/cluster/clusterKeys';
import { tokenDigest } from '../../../src/server/cluster/resumeStore';
import { keyOfName } from '../../../src/server/routing/nameKeyMemo';

const { twoNodes, framed, started } = nodesForThisFile();

const ADMIN_KEY = 'cluster-admin-key-0123456';

test('course clients on two nodes write to each other in both directions', async () => {
  const { a, b } = await twoNodes();
  const alice = await coursePeer(a.port, 'Alice', true);
  const bob = await coursePeer(b.port, 'Bob', true);
  await knows(a, 'Bob');
  await knows(b, 'Alice');
  alice.write('Bob:Hallo von Knoten a\n');
  await bob.waitFor('Alice: Hallo von Knoten a');
  bob.write('Alice:Hallo zurück von b\n');
  await alice.waitFor('Bob: Hallo zurück von b');
});

test('a recipient online on no node is not found, in the course dialect and in the framed protocol', async () => {
  const { a, b } = await twoNodes();
  const alice = await coursePeer(a.port, 'Alice', true);
  await framed(b.port, 'Bob');
  await knows(a, 'Bob');
  alice.write('Carol:niemand da\n');
  await alice.waitFor('Empfänger Carol nicht gefunden.');
  const dora = await framed(b.port, 'Dora');
  dora.send({ type: 'send', id: 'm1', to: 'Carol', text: 'niemand' });
  assert.equal((await dora.next('ack')).status, 'unknown-peer');
});

test('a framed message to a member of another node is acknowledged once it was handed over, and arrives once', async () => {
  const { a, b } = await twoNodes();
  const alice = await framed(a.port, 'Alice');
  const bob = await framed(b.port, 'Bob');
  await knows(a, 'Bob');
  alice.send({ type: 'send', id: 'm1', to: 'Bob', text: 'über den Cluster' });
  const ack = await alice.next('ack');
  assert.deepEqual({ id: ack.id, status: ack.status }, { id: 'm1', status: 'delivered' });
  const message = await bob.next('message');
  assert.deepEqual(
    { from: message.from, text: message.text, seq: typeof message.seq },
    {
      from: 'Alice',
      text: 'über den Cluster',
      seq: 'number',
    },
  );
  // The same id again (a resend after a lost ack) is not delivered twice.
  alice.send({ type: 'send', id: 'm1', to: 'Bob', text: 'über den Cluster' });
  assert.equal((await alice.next('ack')).status, 'delivered');
  await assert.rejects(bob.next('message', () => true, 500));
});

test('a name held on one node is refused on the other, look-alikes too, and free once its holder left', async () => {
  const { a, b } = await twoNodes();
  const alice = await framed(a.port, 'Alice');
  await knows(b, 'Alice');
  const again = await FramedPeer.hello(b.port, 'Alice');
  assert.equal(again.answer.type === 'error' && again.answer.code, 'name-taken');
  // A capital I looks like a small l.
  const lookalike = await FramedPeer.hello(b.port, 'AIice');
  assert.equal(lookalike.answer.type === 'error' && lookalike.answer.code, 'name-taken');
  const course = await coursePeer(b.port, 'Alice', true);
  await course.waitFor('bereits vergeben');
  await alice.close();
  await eventually(
    () => !b.relay.online.includes('Alice'),
    () => 'Alice gone from b',
  );
  const later = await FramedPeer.hello(b.port, 'Alice');
  started.peers.push(later.peer);
  assert.equal(later.answer.type, 'welcome');
});

test('two nodes racing for one name: exactly one of them registers it', async () => {
  const { a, b } = await twoNodes();
  const answers = await Promise.all([FramedPeer.hello(a.port, 'Zoe'), FramedPeer.hello(b.port, 'Zoe')]);
  for (const { peer } of answers) started.peers.push(peer);
  const kinds = answers.map(({ answer }) => (answer.type === 'error' ? answer.code : answer.type)).sort();
  assert.deepEqual(kinds, ['name-taken', 'welcome']);
});

test('members of the other node are online in the welcome and in presence', async () => {
  const { a, b } = await twoNodes();
  await framed(a.port, 'Alice');
  await knows(b, 'Alice');
  const bob = await framed(b.port, 'Bob');
  await framed(a.port, 'Carol');
  const joined = await bob.next('presence', (frame) => frame.name === 'Carol');
  assert.equal(joined.event, 'join');
  const page = await FramedPeer.connect(b.port, 'Dora');
  started.peers.push(page);
  page.send({ type: 'who', id: 'w1' });
  const who = await page.next('online');
  assert.deepEqual([...who.names].sort(), ['Alice', 'Bob', 'Carol']);
});

test("a teacher's hint on one node reaches the students of the other node", async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const student = await framed(b.port, 'Bob');
  await knows(a, 'Bob');
  teacher.send({ type: 'broadcast', id: 'h1', text: 'Denkt an den Port 12345' });
  const ack = await teacher.next('ack');
  assert.equal(ack.status, 'delivered');
  const hint = await student.next('broadcast');
  assert.deepEqual(
    { from: hint.from, text: hint.text, teacher: hint.teacher },
    {
      from: 'Frau Keller',
      text: 'Denkt an den Port 12345',
      teacher: true,
    },
  );
});

test('a node that loses NATS lets its clients go and refuses newcomers with node-unavailable', async () => {
  const { nats, a } = await twoNodes();
  const alice = await framed(a.port, 'Alice');
  const course = await coursePeer(a.port, 'Bob', true);
  await knows(a, 'Bob');
  await nats.stop();
  const error = await alice.next('error', () => true, 10_000);
  assert.deepEqual({ code: error.code, fatal: error.fatal }, { code: 'node-unavailable', fatal: true });
  await course.waitFor('anderen Knoten', 10_000);
  const newcomer = await FramedPeer.hello(a.port, 'Carol');
  started.peers.push(newcomer.peer);
  assert.equal(newcomer.answer.type === 'error' && newcomer.answer.code, 'node-unavailable');
  // A client that knows another node goes there at once.
  const other = await startRelay();
  started.relays.push(other);
  const carol = new RelayConnection({
    host: '127.0.0.1',
    port: a.port,
    name: 'Carol',
    dialect: 'relay',
    alternates: [{ transport: 'tcp', host: '127.0.0.1', port: other.port }],
  });
  try {
    await carol.start();
    assert.equal(carol.node?.port, other.port);
  } finally {
    carol.dispose();
  }
});

test('a class made on one node is known on the other: its members meet across nodes, its teacher key works there, and its end reaches them', async () => {
  const { a, b } = await twoNodes({ adminKey: ADMIN_KEY });
  const { code, teacherKey } = await makeClass(a.port, ADMIN_KEY);
  // FramedPeer.connect waits for the welcome, and fails while b does not know the class yet.
  const joinOnB = () => FramedPeer.connect(b.port, 'Bob', { class: code }).catch(() => undefined);
  let bob = await joinOnB();
  for (const deadline = Date.now() + 5000; !bob; bob = await joinOnB())
    if (Date.now() > deadline) throw new Error(`class ${code} not known on b`);
  started.peers.push(bob);
  const teacher = await FramedPeer.connect(b.port, 'Frau Keller', { class: code, teacherKey });
  started.peers.push(teacher);
  assert.equal((await teacher.next('self')).role, 'teacher');
  const alice = await FramedPeer.connect(a.port, 'Alice', { class: code });
  started.peers.push(alice);
  // Alice's node learns of Bob through the engine: she asks who is online until he is.
  for (let asked = 0, seen = false; !seen; asked++) {
    alice.send({ type: 'who', id: `w${asked}` });
    seen = (await alice.next('online', (page) => page.id === `w${asked}`)).names.includes('Bob');
    if (!seen) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  alice.send({ type: 'send', id: 'k1', to: 'Bob', text: 'in unserer Klasse' });
  assert.equal((await alice.next('ack')).status, 'delivered');
  assert.equal((await bob.next('message')).text, 'in unserer Klasse');
  const ended = await classRequest(a.port, { type: 'class-end', id: 'e1', code, adminKey: ADMIN_KEY });
  assert.equal(ended.type, 'class-ended');
  const error = await bob.next('error', () => true, 10_000);
  assert.equal(error.code, 'class-ended');
});

test("a sender that moved to its recipient's node and resends a message delivered before: acknowledged, not delivered twice", async () => {
  const { a, b } = await twoNodes();
  const onA = await framed(a.port, 'Sam');
  const rita = await framed(b.port, 'Rita');
  await knows(a, 'Rita');
  onA.send({ type: 'send', id: 'x1', to: 'Rita', text: 'nur einmal' });
  assert.equal((await onA.next('ack')).status, 'delivered');
  assert.equal((await rita.next('message')).text, 'nur einmal');
  await onA.close();
  await eventually(
    () => !b.relay.online.includes('Sam'),
    () => 'Sam gone from b',
  );
  const onB = await framed(b.port, 'Sam');
  onB.send({ type: 'send', id: 'x1', to: 'Rita', text: 'nur einmal' });
  const ack = await onB.next('ack');
  assert.deepEqual({ status: ack.status, duplicate: ack.duplicate }, { status: 'delivered', duplicate: true });
  await assert.rejects(rita.next('message', () => true, 500));
});

test("a teacher's hints are kept in the engine: a node started later gives them to its late joiners, and clearing them reaches every node", async () => {
  const { nats, a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const early = await framed(b.port, 'Bob');
  await knows(a, 'Bob');
  teacher.send({ type: 'broadcast', id: 'h1', text: 'Port 12345' });
  assert.equal((await teacher.next('ack')).status, 'delivered');
  assert.equal((await early.next('broadcast')).text, 'Port 12345');
  // A node that was not there when the hint went out.
  const c = await startRelay({ teacherKey: TEACHER_KEY, cluster: { servers: [...nats.urls], node: 'c' } });
  started.relays.push(c);
  const late = await framed(c.port, 'Cleo');
  const kept = await late.next('broadcast', () => true, 5000);
  assert.deepEqual(
    { text: kept.text, earlier: kept.earlier, from: kept.from },
    {
      text: 'Port 12345',
      earlier: true,
      from: 'Frau Keller',
    },
  );
  teacher.send({ type: 'clear-hints', id: 'c1' });
  assert.equal((await teacher.next('ack')).status, 'delivered');
  assert.equal((await early.next('hints-cleared')).by, 'Frau Keller');
  assert.equal((await late.next('hints-cleared')).by, 'Frau Keller');
  // After the clear, a later joiner on any node gets none.
  const d = await startRelay({ teacherKey: TEACHER_KEY, cluster: { servers: [...nats.urls], node: 'd' } });
  started.relays.push(d);
  const after = await framed(d.port, 'Dora');
  await assert.rejects(after.next('broadcast', () => true, 1500));
});

test('a teacher on one node mutes and disconnects a student on another', async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const bob = await framed(b.port, 'Bob');
  await framed(b.port, 'Carol');
  await knows(a, 'Bob');
  teacher.send({ type: 'moderate', id: 'm1', action: 'mute', name: 'Bob', minutes: 5 });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm1')).status, 'delivered');
  assert.ok((await bob.next('self', (self) => self.muted !== undefined)).muted);
  bob.send({ type: 'send', id: 'x1', to: 'Carol', text: 'trotzdem' });
  const refused = await bob.next('ack', (ack) => ack.id === 'x1');
  assert.deepEqual({ status: refused.status, reason: refused.reason }, { status: 'rejected', reason: 'muted' });
  teacher.send({ type: 'moderate', id: 'm2', action: 'disconnect', name: 'Bob', reason: 'Pause' });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm2')).status, 'delivered');
  const error = await bob.next('error');
  assert.deepEqual({ code: error.code, message: error.message }, { code: 'disconnected-by-teacher', message: 'Pause' });
  teacher.send({ type: 'moderate', id: 'm3', action: 'mute', name: 'Niemand' });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm3')).status, 'unknown-peer');
});

test("an old resume token takes no name that went to somebody else: a course client holding it on the token's node keeps it", async () => {
  const { nats, a, b } = await twoNodes();
  // A framed Anna on a whose record outlived her registration (its deletion failed), and then a
  // course client who took the name there.
  const token = 'a-token-of-a-registration-gone';
  const engine = await connect({ servers: [...nats.urls] });
  try {
    const records = await new Kvm(engine).open(BUCKETS.resume);
    const record = { node: 'a', id: 'registration-gone-000001', digest: tokenDigest(token), teacher: false };
    await records.put(nameEntryKey('', keyOfName('Anna')), JSON.stringify(record));
  } finally {
    await engine.close();
  }
  const anna = await coursePeer(a.port, 'Anna', true);
  await knows(b, 'Anna');
  const stale = await FramedPeer.connect(b.port);
  started.peers.push(stale);
  stale.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Anna',
    resume: { token, lastSeq: 0 },
  });
  assert.equal((await stale.next('error')).code, 'name-taken');
  const bob = await coursePeer(b.port, 'Bob', true);
  await knows(a, 'Bob');
  bob.write('Anna:bist du noch da?\n');
  await anna.waitFor('Bob: bist du noch da?');
});
