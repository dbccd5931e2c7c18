/**
 * A room's students' standing across relay nodes (Hub.useCluster, RoomLink.standing): this node's
 * students' goes to the link as it changes and is forgotten when they leave; the other nodes'
 * students' shows in the roster here as their nodes shared it, and a roster goes out when it
 * changes. The link is a fake, as in hubCluster.test.ts; the engine's side is in
 * rosterAcrossNodes.int.test.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Hub } from '../../../src/server/routing/hub';
import { DEFAULT_POLICY } from '../../../src/server/policy/policy';
import { RateLimiter } from '../../../src/server/budgets/rateLimiter';
import { DELIVERED, type Delivery, type Envelope, type Peer } from '../../../src/server/routing/peer';
import { FakeLink, remoteMember } from '../../helpers/cluster/fakeLink';
import type { Roster, Standing } from '../../../src/protocol/classroom';

const ROSTER_MS = 5;

class LocalPeer implements Peer {
  readonly rosters: Roster[] = [];
  readonly standings: Standing[] = [];
  readonly connectedAt = Date.now();
  readonly remote = '10.0.0.20:40000';
  readonly address = '10.0.0.20';
  readonly dialect = 'relay';
  constructor(
    readonly name: string,
    readonly role: 'teacher' | 'student' = 'student',
  ) {}
  deliver(): Delivery {
    return DELIVERED;
  }
  presence(): void {}
  replaced(): void {}
  standingChanged(standing: Standing): void {
    this.standings.push({ ...standing });
  }
  earlierHints(): void {}
  hintsCleared(): void {}
  roster(frame: Uint8Array): void {
    this.rosters.push(JSON.parse(Buffer.from(frame).toString('utf8')) as Roster);
  }
  kick(): void {}
  classEnded(): void {}
}

const remote = remoteMember;

function clusteredHub(t: TestContext): { hub: Hub; link: FakeLink } {
  const hub = new Hub({
    presence: DEFAULT_POLICY.presence,
    ids: DEFAULT_POLICY.ids,
    resume: DEFAULT_POLICY.resume,
    who: DEFAULT_POLICY.who,
    classroom: { rosterMs: ROSTER_MS, teacherKey: 'geheim' },
    registrations: new RateLimiter({ perMinute: 6000, burst: 1000 }),
  });
  const link = new FakeLink(true);
  hub.useCluster(link);
  t.after(() => hub.dispose());
  return { hub, link };
}

async function joined(hub: Hub, peer: LocalPeer): Promise<LocalPeer> {
  const result = await hub.join(peer);
  assert.equal(result.ok, true);
  hub.classroom.joined(hub.keyOf(peer.name), peer);
  return peer;
}

/** Waits until the last roster `teacher` got is as `wanted` says. */
async function rosterWhere(teacher: LocalPeer, wanted: (roster: Roster) => boolean): Promise<Roster> {
  for (const deadline = Date.now() + 2000; Date.now() < deadline; await new Promise((r) => setTimeout(r, ROSTER_MS))) {
    const roster = teacher.rosters.at(-1);
    if (roster && wanted(roster)) return roster;
  }
  throw new Error(`no such roster; the last: ${JSON.stringify(teacher.rosters.at(-1))}`);
}

/** The entry of `name` in the last roster `teacher` got, once it is as `wanted` says. */
async function listed(teacher: LocalPeer, name: string, wanted: (entry: Roster['entries'][number]) => boolean) {
  const entryOf = (roster: Roster) => roster.entries.find((entry) => entry.name === name);
  return entryOf(
    await rosterWhere(teacher, (roster) => {
      const entry = entryOf(roster);
      return entry !== undefined && wanted(entry);
    }),
  )!;
}

const message = (from: string, teacher = false): Envelope => ({
  type: 'message',
  from,
  text: 'hallo',
  at: '2024-01-01T10:00:00.000Z',
  id: 'm1',
  ...(teacher ? { teacher: true } : {}),
});

test("a student's standing here goes to the other nodes as it changes, a teacher's does not, and it is forgotten when she leaves", async (t) => {
  const { hub, link } = clusteredHub(t);
  const teacher = await joined(hub, new LocalPeer('Frau Keller', 'teacher'));
  const zoe = await joined(hub, new LocalPeer('Zoe'));
  hub.classroom.raiseHand(hub.keyOf('Zoe'), zoe, 'Warum?');
  assert.deepEqual(
    link.standingShared.map(([key, standing]) => [key, standing.hand?.question]),
    [[hub.keyOf('Zoe'), 'Warum?']],
  );
  await hub.route(teacher, 'Zoe', message('Frau Keller'));
  await hub.route(teacher, 'Zoe', message('Frau Keller'));
  assert.ok(
    link.standingShared.every(([key]) => key === hub.keyOf('Zoe')),
    "the teacher's own counts are not shared",
  );
  assert.deepEqual(link.standingShared.at(-1)![1], { sent: 0, received: 2 }, 'her hand went down with the answer');
  hub.leave(zoe, true);
  assert.deepEqual(link.standingForgotten, [hub.keyOf('Zoe')]);
});

test('a student of another node is listed here with the standing her node shared, not with what this node counted of her', async (t) => {
  const { hub, link } = clusteredHub(t);
  const teacher = await joined(hub, new LocalPeer('Frau Keller', 'teacher'));
  link.listener.memberJoined(hub.keyOf('Mia'), remote('Mia'));
  await hub.route(teacher, 'Mia', message('Frau Keller'));
  const none = await listed(teacher, 'Mia', () => true);
  assert.deepEqual(
    { sent: none.sent, received: none.received, hand: none.hand },
    { sent: 0, received: 0, hand: undefined },
  );
  const hand = { at: '2024-01-01T10:00:00.000Z', question: 'Darf ich?' };
  link.othersStanding.set(`node-b/${hub.keyOf('Mia')}`, { sent: 4, received: 2, hand, muted: {} });
  link.listener.standingHere(hub.keyOf('Mia'));
  const shown = await listed(teacher, 'Mia', (entry) => entry.hand !== undefined);
  assert.deepEqual(
    { sent: shown.sent, received: shown.received, hand: shown.hand, muted: shown.muted },
    { sent: 4, received: 2, hand, muted: {} },
  );
  // What another node wrote of a name that is now held on a third node is not hers.
  link.listener.memberJoined(hub.keyOf('Mia'), remote('Mia', 'node-c'));
  await listed(teacher, 'Mia', (entry) => entry.hand === undefined && entry.sent === 0);
  link.listener.memberLeft(hub.keyOf('Mia'), remote('Mia', 'node-c'));
  await rosterWhere(teacher, (roster) => roster.total === 0);
});

test('a message from a teacher on another node counts as received here and answers the raised hand', async (t) => {
  const { hub, link } = clusteredHub(t);
  const zoe = await joined(hub, new LocalPeer('Zoe'));
  hub.classroom.raiseHand(hub.keyOf('Zoe'), zoe, undefined);
  assert.deepEqual(link.listener.deliverHere(hub.keyOf('Zoe'), message('Sam')), { status: 'delivered' });
  assert.deepEqual(
    { received: link.standingShared.at(-1)![1].received, hand: link.standingShared.at(-1)![1].hand !== undefined },
    { received: 1, hand: true },
  );
  link.listener.deliverHere(hub.keyOf('Zoe'), message('Frau Keller', true));
  assert.deepEqual(link.standingShared.at(-1)![1], { sent: 0, received: 2 });
  assert.equal(zoe.standings.at(-1)?.hand, undefined, 'she sees her hand down');
});

test('a student who leaves with her hand up or muted leaves them for her next node; one who registers here takes up what another node kept of her name', async (t) => {
  const { hub, link } = clusteredHub(t);
  const zoe = await joined(hub, new LocalPeer('Zoe'));
  hub.classroom.raiseHand(hub.keyOf('Zoe'), zoe, 'Warum?');
  hub.leave(zoe);
  assert.equal(link.standingKept.get(hub.keyOf('Zoe'))?.hand?.question, 'Warum?');
  const until = new Date(Date.now() + 60_000).toISOString();
  link.othersStanding.set(`node-b/${hub.keyOf('Mia')}`, { sent: 3, received: 1, muted: { until } });
  const mia = await joined(hub, new LocalPeer('Mia'));
  assert.deepEqual(mia.standings.at(-1)?.muted, { until });
  assert.equal(hub.classroom.mutedUntil(hub.keyOf('Mia'))?.until, until);
});
