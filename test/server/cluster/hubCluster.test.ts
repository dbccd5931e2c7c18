/**
 * A room that is one node's view of a class spread over several relay nodes (Hub.useCluster):
 * names held by members of other nodes are taken here, a registration's name is claimed across
 * the nodes before it is admitted and given up when nobody here has it any more, messages to
 * another node's member go to that node and its outcome is the sender's ack, and a teacher's hint
 * goes out once for every other node.
 *
 * The link here is a fake standing in for the engine (src/server/cluster/natsLink.ts) because the
 * unit tier runs without a NATS server; the real link is tested in the *.int.test.ts files beside
 * this one.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Hub, type JoinResult } from '../../../src/server/routing/hub';
import { DEFAULT_POLICY } from '../../../src/server/policy/policy';
import { RateLimiter } from '../../../src/server/budgets/rateLimiter';
import { ClaimWait } from '../../../src/server/sessions/claimWait';
import { DELIVERED, type Delivery, type Envelope, type Peer } from '../../../src/server/routing/peer';
import type { ClaimResult, RemoteDelivery } from '../../../src/server/routing/clusterLink';
import { FakeLink, remoteMember } from '../../helpers/cluster/fakeLink';

/** A client of this node, writing down what it was handed. */
class LocalPeer implements Peer {
  readonly got: Envelope[] = [];
  readonly seqs: Array<number | undefined> = [];
  replacedBy = false;
  connectedAt = Date.now();
  constructor(
    readonly name: string,
    readonly role: 'teacher' | 'student' = 'student',
    readonly dialect: 'relay' | 'course' = 'relay',
    readonly address = '10.0.0.20',
  ) {}
  get remote(): string {
    return `${this.address}:40000`;
  }
  deliver(envelope: Envelope, seq?: number): Delivery {
    this.got.push(envelope);
    this.seqs.push(seq);
    return DELIVERED;
  }
  presence(): void {}
  replaced(): void {
    this.replacedBy = true;
  }
  standingChanged(): void {}
  earlierHints(): void {}
  hintsCleared(): void {}
  roster(): void {}
  kick(): void {}
  classEnded(): void {}
}

const remote = remoteMember;

/**
 * A hub of the default class joined to a fake link, disposed when test `t` ends (without `t`, the
 * test disposes it); `holdMs`: how long a name stays held for a resume.
 */
function clusteredHub(
  t: TestContext | undefined,
  holdMs = DEFAULT_POLICY.resume.holdMs,
  registrationBurst = 1000,
): { hub: Hub; link: FakeLink } {
  const hub = new Hub({
    presence: DEFAULT_POLICY.presence,
    ids: DEFAULT_POLICY.ids,
    resume: { ...DEFAULT_POLICY.resume, holdMs },
    who: DEFAULT_POLICY.who,
    classroom: { rosterMs: DEFAULT_POLICY.rosterMs, teacherKey: 'geheim' },
    registrations: new RateLimiter({ perMinute: 6, burst: registrationBurst }),
  });
  const link = new FakeLink();
  hub.useCluster(link);
  t?.after(() => hub.dispose());
  return { hub, link };
}

/** Joins `peer` and settles its claim with `claim` (when one is made). */
async function joined(
  hub: Hub,
  link: FakeLink,
  peer: Peer,
  claim: ClaimResult = { type: 'claimed' },
): Promise<JoinResult> {
  const result = hub.join(peer);
  link.claims.at(-1)?.answer.settle(claim);
  return result;
}

const message = (from: string, id = 'm1', text = 'hallo'): Envelope => ({
  type: 'message',
  from,
  text,
  at: '2024-01-01T10:00:00.000Z',
  id,
});
const hint = (from: string): Extract<Envelope, { type: 'broadcast' }> => ({
  type: 'broadcast',
  from,
  text: 'Pause!',
  at: '2024-01-01T10:00:00.000Z',
  id: 'h1',
});

test('a room attaches to the cluster under its class, and lets go of it when disposed', () => {
  const { hub, link } = clusteredHub(undefined);
  assert.equal(link.room, '');
  hub.dispose();
  assert.equal(link.detached, true);
});

test('a name held by a member of another node is taken here, look-alikes too, without a claim', (t) => {
  const { hub, link } = clusteredHub(t);
  link.listener.memberJoined(hub.keyOf('Zoe'), remote('Zoe'));
  link.listener.memberJoined(hub.keyOf('Alice'), remote('Alice', 'node-c'));
  assert.deepEqual(hub.online.sort(), ['Alice', 'Zoe']);

  assert.deepEqual(hub.join(new LocalPeer('Zoe')), { ok: false, refused: 'taken', holder: 'Zoe', held: false });
  assert.deepEqual(hub.join(new LocalPeer('zoe')), { ok: false, refused: 'taken', holder: 'Zoe', held: false });
  assert.deepEqual(hub.join(new LocalPeer('AIice')), { ok: false, refused: 'taken', holder: 'Alice', held: false });
  assert.equal(link.claims.length, 0);
});

test('a member of another node that leaves frees its name, but not when another node now has it', (t) => {
  const { hub, link } = clusteredHub(t);
  const key = hub.keyOf('Zoe');
  link.listener.memberJoined(key, remote('Zoe', 'node-b'));
  link.listener.memberJoined(key, remote('Zoe', 'node-c'));
  link.listener.memberLeft(key, remote('Zoe', 'node-b'));
  assert.deepEqual(hub.online, ['Zoe'], "node-b's leaving is not node-c's member leaving");
  link.listener.memberLeft(key, remote('Zoe', 'node-c'));
  assert.deepEqual(hub.online, []);
});

test("a member of another node that took the name over (this node was taken for dead) replaces this node's own", async (t) => {
  const { hub, link } = clusteredHub(t);
  const zoe = new LocalPeer('Zoe');
  assert.equal((await joined(hub, link, zoe)).ok, true);
  link.listener.memberJoined(hub.keyOf('Zoe'), remote('Zoe'));
  assert.equal(zoe.replacedBy, true, 'the local member is closed');
  assert.equal(hub.holder('Zoe')?.address, '10.0.1.7');
  assert.deepEqual(link.released, [], "the claim is the other node's now: never given up from here");
});

test('a registration is admitted only once its name is claimed across the nodes', async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  const result = hub.join(anna);
  assert.ok(result instanceof Promise, 'a claim is awaited');
  assert.deepEqual(
    link.claims.map(({ key, name }) => [key, name]),
    [[hub.keyOf('Anna'), 'Anna']],
  );
  assert.equal(hub.holder('Anna'), undefined, 'not admitted before the claim');
  assert.deepEqual(
    await hub.join(new LocalPeer('Anna', 'student', 'relay', '10.0.0.21')),
    { ok: false, refused: 'taken', holder: 'Anna', held: false },
    'a second registration while the claim is under way finds the name taken',
  );
  link.claims[0]!.answer.settle({ type: 'claimed' });
  const admitted = await result;
  assert.equal(admitted.ok, true);
  assert.equal(hub.holder('Anna'), anna);
  assert.equal(link.claims.length, 1);
});

test("a claim the link refuses as taken refuses the registration with the holder's name", async (t) => {
  const { hub, link } = clusteredHub(t);
  assert.deepEqual(await joined(hub, link, new LocalPeer('Zoe'), { type: 'taken', holder: 'Zoë' }), {
    ok: false,
    refused: 'taken',
    holder: 'Zoë',
    held: false,
  });
  assert.equal(hub.holder('Zoe'), undefined);
  assert.deepEqual(link.released, [], 'nothing was claimed, nothing is given up');
  const again = hub.join(new LocalPeer('Zoe'));
  assert.ok(again instanceof Promise, 'the name is claimed again next time');
  link.claims.at(-1)!.answer.settle({ type: 'claimed' });
  assert.equal((await again).ok, true);
});

test('a claim the link cannot make refuses the registration as unavailable, with its detail', async (t) => {
  const { hub, link } = clusteredHub(t);
  assert.deepEqual(await joined(hub, link, new LocalPeer('Zoe'), { type: 'unavailable', detail: 'engine gone' }), {
    ok: false,
    refused: 'unavailable',
    detail: 'engine gone',
  });
  assert.equal(hub.holder('Zoe'), undefined);
});

test('while the other nodes cannot be reached nobody registers here', (t) => {
  const { hub, link } = clusteredHub(t);
  link.available = false;
  const result = hub.join(new LocalPeer('Zoe'));
  assert.deepEqual(result, {
    ok: false,
    refused: 'unavailable',
    detail: 'this relay node cannot reach the other nodes',
  });
  assert.equal(link.claims.length, 0);
});

test('a look-alike that joined on another node while the name was claimed takes it, and the claim is given up', async (t) => {
  const { hub, link } = clusteredHub(t);
  const result = hub.join(new LocalPeer('AIice'));
  link.listener.memberJoined(hub.keyOf('Alice'), remote('Alice'));
  link.claims[0]!.answer.settle({ type: 'claimed' });
  assert.deepEqual(await result, { ok: false, refused: 'taken', holder: 'Alice', held: false });
  assert.deepEqual(link.released, [hub.keyOf('AIice')]);
});

test('a registration whose connection closed while its name was claimed gives the claim up', async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  const wait = new ClaimWait<string>();
  const said: string[] = [];
  let closed = false;
  const result = hub.join(anna);
  assert.ok(result instanceof Promise);
  wait.wait(result, {
    isClosed: () => closed,
    leave: () => hub.leave(anna, true),
    joined: () => said.push('joined'),
    next: () => said.push('next'),
    failed: () => said.push('failed'),
  });
  closed = true;
  link.claims[0]!.answer.settle({ type: 'claimed' });
  await result;
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(said, []);
  assert.deepEqual(link.released, [hub.keyOf('Anna')]);
  assert.equal(hub.holder('Anna'), undefined);
  assert.deepEqual(hub.online, []);
});

test('leaving with a goodbye releases the claim at once; a name held for a resume keeps it until the hold ends', async (t) => {
  const { hub, link } = clusteredHub(t, 30);
  const anna = new LocalPeer('Anna');
  const carl = new LocalPeer('Carl');
  await joined(hub, link, anna);
  await joined(hub, link, carl);

  hub.leave(anna, true);
  assert.deepEqual(link.released, [hub.keyOf('Anna')]);

  hub.leave(carl);
  hub.sweep();
  assert.deepEqual(link.released, [hub.keyOf('Anna')], "Carl's name is held for his resume");
  await new Promise((resolve) => setTimeout(resolve, 60));
  hub.sweep();
  assert.deepEqual(link.released, [hub.keyOf('Anna'), hub.keyOf('Carl')]);
  hub.sweep();
  assert.equal(link.released.length, 2, 'a claim is given up once');
});

test('a course client leaving releases its claim at once: nothing is held for it', async (t) => {
  const { hub, link } = clusteredHub(t);
  const mia = new LocalPeer('Mia', 'student', 'course');
  await joined(hub, link, mia);
  hub.leave(mia);
  assert.deepEqual(link.released, [hub.keyOf('Mia')]);
});

test("a message to another node's member goes to that node, and that node's outcome is the ack", async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  const keller = new LocalPeer('Frau Keller', 'teacher');
  await joined(hub, link, anna);
  await joined(hub, link, keller);
  link.listener.memberJoined(hub.keyOf('Zoe'), remote('Zoe', 'node-b'));

  const outcomes: RemoteDelivery[] = [
    { status: 'delivered' },
    { status: 'unknown-peer' },
    { status: 'rejected', reason: 'recipient-busy' },
    { status: 'rejected', reason: 'too-large' },
  ];
  for (const [index, outcome] of outcomes.entries()) {
    const routed = hub.route(anna, 'zoe', message('Anna', `m${index}`));
    const call = link.delivered.at(-1)!;
    assert.equal(call.node, 'node-b');
    assert.equal(call.key, hub.keyOf('Zoe'));
    assert.equal(call.envelope.id, `m${index}`);
    call.answer.settle(outcome);
    assert.deepEqual(await routed, outcome);
  }
  assert.equal(link.delivered.length, outcomes.length);

  const fromTeacher = hub.route(keller, 'Zoe', message('Frau Keller', 't1'));
  assert.equal(link.delivered.at(-1)!.envelope.teacher, true, "a teacher's message is marked here, where it is sent");
  link.delivered.at(-1)!.answer.settle({ status: 'delivered' });
  await fromTeacher;
  assert.equal(link.delivered.at(-2)!.envelope.teacher, undefined, "a student's message is not marked");
});

test("a broadcast counts the other nodes' members as reached and publishes the hint once", async (t) => {
  const { hub, link } = clusteredHub(t);
  const keller = new LocalPeer('Frau Keller', 'teacher');
  const anna = new LocalPeer('Anna');
  await joined(hub, link, keller);
  await joined(hub, link, anna);
  link.listener.memberJoined(hub.keyOf('Zoe'), remote('Zoe', 'node-b'));
  link.listener.memberJoined(hub.keyOf('Carl'), remote('Carl', 'node-c'));

  assert.equal(hub.broadcast(keller, hint('Frau Keller')), 3);
  assert.equal(link.hints.length, 1);
  assert.equal(link.hints[0]!.teacher, true);
  assert.equal(anna.got.length, 1);
  assert.equal(keller.got.length, 0, 'the sender gets no copy');
  assert.equal(link.delivered.length, 0, 'no remote member is sent the hint one by one');
});

test("another node's message for a member here is delivered, and for nobody here is unknown", async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  await joined(hub, link, anna);
  link.listener.memberJoined(hub.keyOf('Zoe'), remote('Zoe'));

  assert.deepEqual(link.listener.deliverHere(hub.keyOf('Anna'), message('Zoe')), { status: 'delivered' });
  assert.equal(anna.got.length, 1);
  assert.deepEqual(anna.got[0], message('Zoe'));
  assert.deepEqual(link.listener.deliverHere(hub.keyOf('Zoe'), message('Carl')), { status: 'unknown-peer' });
  assert.deepEqual(link.listener.deliverHere(hub.keyOf('Nobody'), message('Zoe')), { status: 'unknown-peer' });
});

test("another node's hint reaches this node's members, and none goes back out", async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  const carl = new LocalPeer('Carl');
  await joined(hub, link, anna);
  await joined(hub, link, carl);
  link.listener.hintHere({ ...hint('Frau Keller'), teacher: true });
  assert.equal(anna.got.length, 1);
  assert.equal(carl.got.length, 1);
  assert.equal(link.hints.length, 0);
});

test('a resent message another node already handed over here is answered from the link, not sent again', (t) => {
  const { hub, link } = clusteredHub(t);
  link.before.set('Anna/m7', { status: 'delivered' });
  link.before.set('Anna/m8', { status: 'unknown-peer' });
  assert.deepEqual(hub.previousOutcome('Anna', 'm7'), { status: 'delivered' });
  assert.equal(hub.previousOutcome('Anna', 'm8'), undefined, 'only a delivery counts as done');
  assert.equal(hub.previousOutcome('Anna', 'm9'), undefined);
});

test("a teacher's moderation of a member on another node goes to that node", async (t) => {
  const { hub, link } = clusteredHub(t);
  link.listener.memberJoined(hub.keyOf('Zoe'), remote('Zoe'));
  assert.deepEqual(await hub.moderate({ action: 'mute', name: 'Zoe', minutes: 5 }), { status: 'delivered' });
  assert.deepEqual(link.moderated, [{ node: 'node-b', key: hub.keyOf('Zoe'), action: 'mute' }]);
});

test('a framed registration is kept in the engine under its id and token, and each message it is handed under its number', async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  const joinedAnna = await joined(hub, link, anna);
  assert.ok(joinedAnna.ok);
  const record = link.records.get(hub.keyOf('Anna'));
  assert.equal(record?.token, joinedAnna.token);
  assert.equal(record?.teacher, false);
  const ben = new LocalPeer('Ben');
  await joined(hub, link, ben);
  await hub.route(ben, 'Anna', message('Ben', 'b1'));
  await hub.route(ben, 'Anna', message('Ben', 'b2', 'zwei'));
  const id = record?.id ?? assert.fail('no record');
  assert.deepEqual(link.kept, [
    { id, seq: 1, text: 'hallo' },
    { id, seq: 2, text: 'zwei' },
  ]);
  hub.leave(anna, true);
  assert.deepEqual(link.forgotten, [`${hub.keyOf('Anna')}/${id}`]);
});

test('a client resuming a registration another node held takes the name over from the member of that node, gets what it missed, and is numbered on', async (t) => {
  const { hub, link } = clusteredHub(t);
  const key = hub.keyOf('Anna');
  link.listener.memberJoined(key, remote('Anna', 'node-b'));
  const anna = new LocalPeer('Anna');
  const result = hub.join(anna, { token: 'token-of-node-b', lastSeq: 7 });
  assert.ok(result instanceof Promise);
  assert.deepEqual(
    link.resumes.map(({ key: asked, lastSeq }) => ({ asked, lastSeq })),
    [{ asked: key, lastSeq: 7 }],
  );
  const missed = { ...message('Ben', 'b8'), seq: 8 };
  link.resumes[0]!.answer.settle({
    type: 'resumed',
    adopted: { id: 'registration-of-anna-01', nextSeq: 9, teacher: false },
    missed: [missed],
  });
  const joinedAnna = await result;
  assert.ok(joinedAnna.ok);
  assert.equal(joinedAnna.resumed, true);
  assert.deepEqual(joinedAnna.missed, [missed]);
  assert.equal(hub.holder('Anna'), anna, "the other node's member is replaced by the client here");
  assert.deepEqual(link.records.get(key), { id: 'registration-of-anna-01', token: joinedAnna.token, teacher: false });
  assert.equal(link.claims.length, 0, 'the link took the claim over itself');

  const ben = new LocalPeer('Ben');
  await joined(hub, link, ben);
  await hub.route(ben, 'Anna', message('Ben', 'b9'));
  assert.deepEqual(anna.seqs, [9]);
  assert.deepEqual(link.kept.at(-1), { id: 'registration-of-anna-01', seq: 9, text: 'hallo' });
});

test('a resume no node knows registers the client afresh, and one the engine refuses is refused with the holder', async (t) => {
  const { hub, link } = clusteredHub(t);
  const unknown = hub.join(new LocalPeer('Anna'), { token: 'nobody-knows-this', lastSeq: 3 });
  link.resumes[0]!.answer.settle({ type: 'unknown' });
  await new Promise((resolve) => setImmediate(resolve));
  link.claims.at(-1)!.answer.settle({ type: 'claimed' });
  const fresh = await unknown;
  assert.ok(fresh.ok);
  assert.equal(fresh.resumed, false);

  const taken = hub.join(new LocalPeer('Ben'), { token: 'old-token', lastSeq: 0 });
  link.resumes[1]!.answer.settle({ type: 'taken', holder: 'Ben' });
  assert.deepEqual(await taken, { ok: false, refused: 'taken', holder: 'Ben', held: false });
  assert.equal(hub.holder('Ben'), undefined);
});

test('a name another node took over is no longer kept here for a resume: the registration held here is dropped', async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  const first = await joined(hub, link, anna);
  assert.ok(first.ok);
  const id = link.records.get(hub.keyOf('Anna'))!.id;
  hub.leave(anna);
  assert.deepEqual(link.forgotten, [], 'held for a resume while her connection is away');
  link.listener.memberJoined(hub.keyOf('Anna'), remote('Anna', 'node-b'));
  assert.deepEqual(link.forgotten, [`${hub.keyOf('Anna')}/${id}`]);
  const again = hub.join(new LocalPeer('Anna'), { token: first.token!, lastSeq: 0 });
  assert.ok(again instanceof Promise, 'her token is asked of the engine, not taken from here');
});

test("a framed registration's claim names its id, the one the engine keeps it under; a course client's names none", async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = hub.join(new LocalPeer('Anna'));
  const claim = link.claims.at(-1)!;
  claim.answer.settle({ type: 'claimed' });
  assert.ok((await anna).ok);
  assert.equal(link.entries.get(claim.key)?.registration, link.records.get(claim.key)?.id);
  const carl = hub.join(new LocalPeer('Carl', 'student', 'course'));
  link.claims.at(-1)!.answer.settle({ type: 'claimed' });
  assert.ok((await carl).ok);
  assert.equal(link.entries.get(hub.keyOf('Carl'))?.registration, undefined);
});

test('a registration handed over to the node where its client resumed: the member here is closed as replaced, and the number its next message takes is told', async (t) => {
  const { hub, link } = clusteredHub(t);
  const anna = new LocalPeer('Anna');
  await joined(hub, link, anna);
  const ben = new LocalPeer('Ben');
  await joined(hub, link, ben);
  await hub.route(ben, 'Anna', message('Ben', 'b1'));
  const key = hub.keyOf('Anna');
  const { id } = link.records.get(key)!;
  assert.equal(
    link.listener.handOff(key, 'another-registration-id'),
    undefined,
    'another registration is not handed over',
  );
  assert.equal(hub.holder('Anna'), anna);
  assert.equal(link.listener.handOff(key, id), 2);
  assert.equal(anna.replacedBy, true);
  assert.equal(hub.holder('Anna'), undefined);
  assert.deepEqual(link.released, [], "the claim is the other node's: not given up from here");
  assert.equal(link.listener.handOff(key, id), undefined, 'handed over once');
});

test('made-up resume tokens count against their address before the engine is asked: its registrations run out', async (t) => {
  const { hub, link } = clusteredHub(t, undefined, 2);
  for (const name of ['Anna', 'Ben']) {
    const attempt = hub.join(new LocalPeer(name), { token: 'made-up', lastSeq: 0 });
    link.resumes.at(-1)!.answer.settle({ type: 'unknown' });
    await new Promise((resolve) => setImmediate(resolve));
    link.claims.at(-1)?.answer.settle({ type: 'claimed' });
    await attempt;
  }
  const asked = link.resumes.length;
  const third = await hub.join(new LocalPeer('Carl'), { token: 'made-up', lastSeq: 0 });
  assert.equal(third.ok === false && third.refused, 'too-many-registrations');
  assert.equal(link.resumes.length, asked, 'the engine was not asked');
});

test('a resume token spent on a wrong teacher key is spent on every node: the engine keeps the new digest', async (t) => {
  const { hub, link } = clusteredHub(t);
  const first = await joined(hub, link, new LocalPeer('Anna'));
  assert.ok(first.ok);
  hub.spendResume('Anna');
  const record = link.records.get(hub.keyOf('Anna'))!;
  assert.notEqual(record.token, first.token);
});

test('a resume whose client was gone before its welcome came is held under the token the client still has: its next try resumes here', async (t) => {
  const { hub, link } = clusteredHub(t);
  const first = new LocalPeer('Anna');
  const resume = { token: 'token-of-node-b', lastSeq: 0 };
  const result = hub.join(first, resume);
  const missed = { ...message('Ben', 'b1'), seq: 1 };
  link.resumes[0]!.answer.settle({
    type: 'resumed',
    adopted: { id: 'registration-of-anna-01', nextSeq: 2, teacher: false },
    missed: [missed],
  });
  const joinedFirst = await result;
  assert.ok(joinedFirst.ok);
  hub.unwelcomed(first, joinedFirst, resume);
  assert.equal(hub.holder('Anna'), undefined);
  assert.equal(link.records.get(hub.keyOf('Anna'))?.token, resume.token);
  const again = hub.join(new LocalPeer('Anna'), resume);
  assert.ok(!(again instanceof Promise), 'resumed here, without asking the engine');
  assert.ok(again.ok && again.resumed);
  assert.deepEqual(again.ok && again.missed, [missed]);
  assert.notEqual(again.ok && again.token, resume.token);
});

test('a fresh registration (its resume was known nowhere) whose client was gone before its welcome gives its name up: no token of the client is taken for it', async (t) => {
  const { hub, link } = clusteredHub(t);
  const first = new LocalPeer('Anna');
  const resume = { token: 'known-nowhere', lastSeq: 57 };
  const result = hub.join(first, resume);
  link.resumes[0]!.answer.settle({ type: 'unknown' });
  await new Promise((resolve) => setImmediate(resolve));
  link.claims.at(-1)!.answer.settle({ type: 'claimed' });
  const fresh = await result;
  assert.ok(fresh.ok && !fresh.resumed);
  hub.unwelcomed(first, fresh, resume);
  assert.equal(hub.holder('Anna'), undefined);
  assert.deepEqual(link.released, [hub.keyOf('Anna')], 'the name is free at once');
  assert.equal(
    link.records.get(hub.keyOf('Anna'))?.token,
    fresh.token,
    'the token the client never knew is not replaced by its own',
  );
});
