/**
 * A teacher's roster across relay nodes joined through a real NATS server: the raised hand, the
 * mute and the message counts of a student on another node show in it, and change there as they
 * change, as a student's on the teacher's own node do; a student who left is no longer listed, and
 * her standing leaves the engine, but for a raised hand or a mute, which go with her name to the
 * node she registers on next.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { FramedPeer, sleep } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';
import { makeClass } from '../../helpers/relay/classes';
import { knows, nodesForThisFile, TEACHER_KEY } from '../../helpers/cluster/inProcessNodes';
import type { RosterEntry } from '../../../src/protocol/classroom';
import { BUCKETS, nameEntryKey } from '../../../src/server/cluster/clusterKeys';
import { keyOfName } from '../../../src/server/routing/nameKeyMemo';

const { twoNodes: classNodes, framed, started } = nodesForThisFile();

/** Two relay nodes that send rosters at most every 50 ms. */
const twoNodes = () => classNodes({ rosterMs: 50 });

/** The first roster `teacher` gets in which `name`'s entry is as `wanted` says. */
async function rosterWith(
  teacher: FramedPeer,
  name: string,
  wanted: (entry: RosterEntry) => boolean,
): Promise<RosterEntry> {
  const roster = await teacher.next('roster', (frame) => frame.entries.some((e) => e.name === name && wanted(e)));
  return roster.entries.find((entry) => entry.name === name)!;
}

test("a hand raised on another node shows in the teacher's roster with its question, and goes down there when the teacher answers", async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const zoe = await framed(b.port, 'Zoe');
  await knows(a, 'Zoe');
  zoe.send({ type: 'hand', id: 'h1', up: true, question: 'Warum blockiert recv()?' });
  assert.equal((await zoe.next('ack')).status, 'delivered');
  const raised = await rosterWith(teacher, 'Zoe', (entry) => entry.hand !== undefined);
  assert.equal(raised.hand?.question, 'Warum blockiert recv()?');
  // The teacher's answer from node a lowers it on node b, where Zoe sees it, and in a's roster.
  teacher.send({ type: 'send', id: 'k1', to: 'Zoe', text: 'Weil es auf Daten wartet.' });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'k1')).status, 'delivered');
  await zoe.next('self', (self) => self.hand === undefined);
  const answered = await rosterWith(teacher, 'Zoe', (entry) => entry.hand === undefined && entry.received === 1);
  assert.equal(answered.sent, 0);
});

test('a teacher who mutes a student on another node sees the mute in the roster, and its end after an unmute', async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const bob = await framed(b.port, 'Bob');
  await knows(a, 'Bob');
  teacher.send({ type: 'moderate', id: 'm1', action: 'mute', name: 'Bob', minutes: 5 });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm1')).status, 'delivered');
  await bob.next('self', (self) => self.muted !== undefined);
  const muted = await rosterWith(teacher, 'Bob', (entry) => entry.muted !== undefined);
  assert.ok(Date.parse(muted.muted!.until!) > Date.now() + 4 * 60_000);
  teacher.send({ type: 'moderate', id: 'm2', action: 'unmute', name: 'Bob' });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm2')).status, 'delivered');
  await rosterWith(teacher, 'Bob', (entry) => entry.muted === undefined);
});

test("the counts of a student on another node show in the teacher's roster: messages sent on her node and received from either", async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const mia = await framed(b.port, 'Mia');
  const carol = await framed(b.port, 'Carol');
  const sam = await framed(a.port, 'Sam');
  await knows(a, 'Mia');
  await knows(a, 'Carol');
  for (let i = 1; i <= 5; i++) mia.send({ type: 'send', id: `m${i}`, to: 'Carol', text: `Nachricht ${i}` });
  sam.send({ type: 'send', id: 's1', to: 'Mia', text: 'von Knoten a' });
  assert.equal((await sam.next('ack')).status, 'delivered');
  await mia.next('message');
  for (let i = 1; i <= 5; i++) await carol.next('message');
  const roster = await teacher.next(
    'roster',
    (frame) =>
      frame.entries.some((entry) => entry.name === 'Carol' && entry.received === 5) &&
      frame.entries.some((entry) => entry.name === 'Mia' && entry.sent === 5 && entry.received === 1),
  );
  const counts = Object.fromEntries(roster.entries.map(({ name, sent, received }) => [name, { sent, received }]));
  assert.deepEqual(counts, {
    Mia: { sent: 5, received: 1 },
    Carol: { sent: 0, received: 5 },
    Sam: { sent: 1, received: 0 },
  });
});

test("a student on another node who leaves is no longer in the teacher's roster, and her standing (no hand, no mute) leaves the engine", async () => {
  const { nats, a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const lea = await framed(b.port, 'Lea');
  await framed(b.port, 'Tim');
  await knows(a, 'Lea');
  lea.send({ type: 'send', id: 's1', to: 'Tim', text: 'Kommst du mit?' });
  await rosterWith(teacher, 'Lea', (entry) => entry.sent === 1);
  const connection = await connect({ servers: [...nats.urls] });
  try {
    const bucket = await new Kvm(connection).open(BUCKETS.standing);
    const entryKey = nameEntryKey('', keyOfName('Lea'));
    assert.equal((await bucket.get(entryKey))?.operation, 'PUT');
    await lea.close();
    const roster = await teacher.next(
      'roster',
      (frame) => frame.entries.every((entry) => entry.name !== 'Lea') && frame.total === 1,
    );
    assert.deepEqual(
      roster.entries.map((entry) => entry.name),
      ['Tim'],
    );
    for (const deadline = Date.now() + 5000; (await bucket.get(entryKey))?.operation === 'PUT'; await sleep(50))
      assert.ok(Date.now() < deadline, "Lea's standing is still in the engine");
  } finally {
    await connection.close();
  }
});

test('a muted student who leaves her node and registers on another is muted there too, with her hand still up', async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const mia = await framed(b.port, 'Mia');
  await framed(b.port, 'Tim');
  await knows(a, 'Mia');
  mia.send({ type: 'hand', id: 'h1', up: true, question: 'Darf ich?' });
  assert.equal((await mia.next('ack')).status, 'delivered');
  teacher.send({ type: 'moderate', id: 'm1', action: 'mute', name: 'Mia', minutes: 5 });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm1')).status, 'delivered');
  await mia.next('self', (self) => self.muted !== undefined);
  // She says goodbye on b, and comes back through a under the same name: the mute is not shed.
  await mia.close();
  await eventually(
    () => !a.relay.online.includes('Mia'),
    () => `Mia still online: ${JSON.stringify(a.relay.online)}`,
  );
  const again = await framed(a.port, 'Mia');
  const self = await again.next('self');
  assert.ok(self.muted !== undefined, JSON.stringify(self));
  assert.equal(self.hand?.question, 'Darf ich?');
  again.send({ type: 'send', id: 's1', to: 'Tim', text: 'jetzt darf ich doch?' });
  const refused = await again.next('ack', (ack) => ack.id === 's1');
  assert.deepEqual({ status: refused.status, reason: refused.reason }, { status: 'rejected', reason: 'muted' });
  await rosterWith(teacher, 'Mia', (entry) => entry.muted !== undefined && entry.hand?.question === 'Darf ich?');
});

test("in a class of its own, the teacher's roster on one node shows the class's students of another node with their hands, and only them", async () => {
  const adminKey = 'cluster-admin-key-0123456';
  const nodes = await classNodes({ rosterMs: 50, adminKey });
  const { code, teacherKey } = await makeClass(nodes.a.port, adminKey);
  const inClass = async (port: number, name: string, key?: string): Promise<FramedPeer> => {
    const options = key === undefined ? { class: code } : { class: code, teacherKey: key };
    for (const deadline = Date.now() + 5000; ; await sleep(100)) {
      // Refused while the node does not know the class yet.
      const peer = await FramedPeer.connect(port, name, options).catch(() => undefined);
      if (peer) {
        started.peers.push(peer);
        return peer;
      }
      assert.ok(Date.now() < deadline, `class ${code} not known on port ${port}`);
    }
  };
  const teacher = await inClass(nodes.a.port, 'Frau Keller', teacherKey);
  const zoe = await inClass(nodes.b.port, 'Zoe');
  // A student of the default class on b, raising her hand too, is not in the class's roster.
  const other = await framed(nodes.b.port, 'Yves');
  other.send({ type: 'hand', id: 'h0', up: true });
  zoe.send({ type: 'hand', id: 'h1', up: true, question: 'Gilt das für UDP auch?' });
  assert.equal((await zoe.next('ack')).status, 'delivered');
  const roster = await teacher.next('roster', (frame) =>
    frame.entries.some((entry) => entry.name === 'Zoe' && entry.hand?.question === 'Gilt das für UDP auch?'),
  );
  assert.deepEqual(
    roster.entries.map((entry) => entry.name),
    ['Zoe'],
  );
});

test('a mute lifted on the node a student moved to stays lifted when she comes back there, or to the node she left', async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  await framed(a.port, 'Tim');
  const onB = await framed(b.port, 'Mia');
  await knows(a, 'Mia');
  teacher.send({ type: 'moderate', id: 'm1', action: 'mute', name: 'Mia' });
  await onB.next('self', (self) => self.muted !== undefined);
  await onB.close();
  const onA = await framed(a.port, 'Mia');
  await onA.next('self', (self) => self.muted !== undefined);
  teacher.send({ type: 'moderate', id: 'm2', action: 'unmute', name: 'Mia' });
  await onA.next('self', (self) => self.muted === undefined);
  await onA.close();
  for (const node of [a, b]) {
    // Her name is free on both once each node heard she left (the other node's claim is gone).
    let back: FramedPeer | undefined;
    for (const deadline = Date.now() + 5000; !back; await sleep(100)) {
      const attempt = await FramedPeer.hello(node.port, 'Mia');
      if (attempt.answer.type === 'welcome') back = attempt.peer;
      else attempt.peer.drop();
      assert.ok(back || Date.now() < deadline, `Mia's name is not free on ${node === a ? 'a' : 'b'}`);
    }
    assert.equal((await back.next('self')).muted, undefined, `muted again on ${node === a ? 'a' : 'b'}`);
    back.send({ type: 'send', id: `s-${node.port}`, to: 'Tim', text: 'wieder da' });
    assert.equal((await back.next('ack')).status, 'delivered');
    await back.close();
  }
});

test('a node that stops keeps its students’ mutes for the node they register on next', async () => {
  const { a, b } = await twoNodes();
  const teacher = await framed(a.port, 'Frau Keller', TEACHER_KEY);
  const mia = await framed(b.port, 'Mia');
  await knows(a, 'Mia');
  teacher.send({ type: 'moderate', id: 'm1', action: 'mute', name: 'Mia', minutes: 30 });
  await mia.next('self', (self) => self.muted !== undefined);
  await b.close();
  await eventually(
    () => !a.relay.online.includes('Mia'),
    () => 'Mia still online',
  );
  const again = await framed(a.port, 'Mia');
  assert.ok((await again.next('self')).muted !== undefined, 'her mute was shed by the stop');
});
