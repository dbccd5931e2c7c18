/**
 * A name's hold lasts its minute whatever others do: a client that lost its connection finds its
 * name, its messages and its resume token where it left them, however many names classmates
 * behind the same router, or other hosts, register and drop meanwhile. 127.0.0.x play hosts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer, sleep } from '../helpers/relay/peers';
import { helloFrom, sendFrom } from '../helpers/relay/hosts';
import type { ServerFrame } from '../../src/protocol/frames';
import { Registrations } from '../../src/server/routing/registrations';

const relay = relaysForThisFile();

const tokenOf = (answer: ServerFrame): string => {
  assert.equal(answer.type, 'welcome', JSON.stringify(answer));
  return answer.type === 'welcome' ? answer.resume! : '';
};

/** Alice from `from` loses her connection; returns her resume token. */
async function aliceDrops(port: number, from: string): Promise<string> {
  const alice = await helloFrom(port, from, 'Alice');
  const token = tokenOf(alice.answer);
  alice.peer.close();
  await sleep(50);
  return token;
}

/** After the churn: nobody else gets the name or her messages, and her token takes her back. */
async function aliceStillHolds(port: number, from: string, token: string, bob: FramedPeer): Promise<void> {
  const thief = await helloFrom(port, from, 'alice');
  assert.equal(thief.answer.type === 'error' && thief.answer.code, 'name-taken', JSON.stringify(thief.answer));
  bob.send({ type: 'send', id: 'fuer-alice', to: 'Alice', text: 'nur für Alice' });
  assert.equal((await bob.next('ack', (ack) => ack.id === 'fuer-alice')).status, 'unknown-peer');
  const back = await helloFrom(port, from, 'Alice', { token, lastSeq: 0 });
  assert.equal(back.answer.type === 'welcome' && back.answer.resumed, true, JSON.stringify(back.answer));
}

test('66 names registered and dropped behind the same router do not push out a held name or its resume token', async () => {
  // Registrations are not what stops this churn here: the hold itself must hold.
  const { port } = await relay({ registrations: { burst: 1000 } });
  const bob = await FramedPeer.connect(port, 'Bob');
  const token = await aliceDrops(port, '127.0.0.5');
  for (let index = 0; index < 66; index++) {
    const churn = await helloFrom(port, '127.0.0.5', `Wegwerf ${index}`);
    tokenOf(churn.answer);
    churn.peer.close();
  }
  await sleep(100);
  await aliceStillHolds(port, '127.0.0.5', token, bob);
});

test('names dropped from many addresses do not push out a held name: past the bound, new names wait, clearly told', async () => {
  const { port } = await relay({ resume: { offlineTotal: 20, holdMs: 10_000 } });
  const bob = await FramedPeer.connect(port, 'Bob');
  const token = await aliceDrops(port, '127.0.0.6');
  const answers: ServerFrame[] = [];
  for (let index = 0; index < 30; index++) {
    const churn = await helloFrom(port, `127.0.1.${index + 1}`, `Wegwerf ${index}`);
    answers.push(churn.answer);
    churn.peer.close();
  }
  await sleep(100);
  const refused = answers.filter((answer) => answer.type === 'error');
  assert.ok(refused.length >= 10, `${refused.length} of 30 refused`);
  for (const answer of refused) {
    assert.equal(answer.type === 'error' && answer.code, 'too-many-connections');
    assert.match(
      answer.type === 'error' ? answer.message : '',
      /holds as many names as it may for clients that lost their connection; try again in \d+ s/,
    );
  }
  await aliceStillHolds(port, '127.0.0.6', token, bob);
});

test('registrations past their hold make room, oldest first; while every kept one is held, new ones wait', () => {
  let now = 0;
  const kept = new Registrations(
    {
      keepMs: 180_000,
      messages: 10,
      bytes: 10_000,
      totalBytes: 100_000,
      offlinePerAddress: 2,
      offlineTotal: 3,
      holdMs: 60_000,
    },
    () => now,
  );
  const tokens = ['a', 'b', 'c', 'd'].map((key) => kept.create(key, '10.0.0.1'));
  for (const key of ['a', 'b', 'c', 'd']) {
    kept.offline(key);
    now += 1000;
  }
  // Over the address's share and the bound in all, yet all four hold their names.
  assert.deepEqual(
    ['a', 'b', 'c', 'd'].map((key) => kept.held(key)),
    [true, true, true, true],
  );
  assert.equal(kept.saturated, true);
  assert.ok(kept.holdEndsIn > 55_000 && kept.holdEndsIn <= 60_000, `${kept.holdEndsIn} ms`);
  now = 60_500;
  // a's hold is over: it makes room, but the three kept still hold their names.
  assert.equal(kept.saturated, true);
  assert.equal(kept.matches('a', tokens[0]!), false);
  now = 62_500;
  // b's is over too: new registrations are welcome again (b goes when one needs its room).
  assert.equal(kept.saturated, false);
  assert.equal(kept.matches('a', tokens[0]!), false);
  assert.equal(kept.matches('b', tokens[1]!), true);
  now = 70_000;
  kept.sweep();
  assert.deepEqual(
    ['b', 'c', 'd'].map((key) => kept.matches(key, tokens[['a', 'b', 'c', 'd'].indexOf(key)]!)),
    [false, true, true],
    'past their hold, the address keeps its share of 2: the oldest goes',
  );
});

test("a held name's resume is never refused for its address's registrations: classmates who use them up do not lock it out", async () => {
  const { port } = await relay({ registrations: { burst: 5, perMinute: 1 } });
  await FramedPeer.connect(port, 'Bob');
  const token = await aliceDrops(port, '127.0.0.7');
  for (let index = 0; index < 6; index++) (await helloFrom(port, '127.0.0.7', `Wegwerf ${index}`)).peer.close();
  const back = await helloFrom(port, '127.0.0.7', 'Alice', { token, lastSeq: 0 });
  assert.equal(back.answer.type === 'welcome' && back.answer.resumed, true, JSON.stringify(back.answer));
  const ack = await sendFrom(back.peer, { type: 'send', id: 'da', to: 'Bob', text: 'wieder da' });
  assert.equal(ack.type === 'ack' && ack.status, 'delivered');
});
