/**
 * A relay restarted in the middle of a lesson: the real `serve` process with a state folder,
 * stopped by SIGTERM and killed by SIGKILL, with a teacher, framed students, the course's Python
 * client and raw course connections. After the restart the teacher's key is the same, hints,
 * hands, mutes and counts are as they were, late joiners get the hints in both dialects, and no
 * student is told of a change that did not happen. Also: a new key on request, a key given never
 * kept, a damaged store set aside, one relay per state folder, a muted student writing to the
 * teacher, and the course client's `!hand` forms.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RosterEntry } from '../../src/protocol/classroom';
import { RELAY_DEFAULTS } from '../../src/server/policy/defaults';
import { serveArgs, courseClient, run, start, stopAll, type Child } from '../helpers/process/processes';
import { coursePeer, FramedPeer, freePort, RawPeer, sleep, startRelay } from '../helpers/relay/peers';

const open: Array<FramedPeer | RawPeer> = [];
const folders: string[] = [];
after(async () => {
  for (const peer of open) peer.socket.destroy();
  await stopAll();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const stateDir = () => {
  const folder = mkdtempSync(join(tmpdir(), 'relay-restart-'));
  folders.push(folder);
  return folder;
};

interface Serve {
  child: Child;
  key: string;
}

async function serve(port: number, state: string, extra: string[] = []): Promise<Serve> {
  const child = start(process.execPath, serveArgs(port, '--state', state, ...extra));
  await child.waitFor('Stop with Ctrl+C.');
  const key = /Teacher key, for teachers only:.*\n {2}(\S+)\n/.exec(child.stdout)?.[1];
  assert.ok(key, `serve printed no teacher key: ${child.stdout}`);
  assert.match(child.stdout, new RegExp(`kept in ${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  return { child, key };
}

async function framed(port: number, name: string, teacherKey?: string): Promise<FramedPeer> {
  const peer = await FramedPeer.connect(port, name, teacherKey === undefined ? {} : { teacherKey });
  open.push(peer);
  return peer;
}

async function course(port: number, name: string): Promise<RawPeer> {
  const peer = await coursePeer(port, name, true);
  open.push(peer);
  return peer;
}

/** A teacher's request, answered with its ack. */
async function ask(peer: FramedPeer, frame: Parameters<FramedPeer['send']>[0] & { id: string }) {
  peer.send(frame);
  return peer.next('ack', (ack) => ack.id === frame.id);
}

/** The standing of each named student as the teacher's roster shows it, once `ready` holds of the roster. */
async function standings(
  teacher: FramedPeer,
  names: string[],
  ready: (entries: readonly RosterEntry[]) => boolean = () => true,
): Promise<Record<string, Pick<RosterEntry, 'hand' | 'muted' | 'sent' | 'received'>>> {
  const roster = await teacher.next(
    'roster',
    (frame) => names.every((name) => frame.entries.some((entry) => entry.name === name)) && ready(frame.entries),
    10_000,
  );
  return Object.fromEntries(
    roster.entries
      .filter((entry) => names.includes(entry.name))
      .map(({ name, hand, muted, sent, received }) => [name, { hand, muted, sent, received }]),
  );
}

const HINT = 'Tipp: recv(1024) liest höchstens 1024 Bytes';

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`a relay stopped by ${signal} mid-lesson comes back with the same key, hints, hands, mutes and counts, and tells nobody of a change`, async () => {
    const port = await freePort();
    const state = stateDir();
    const first = await serve(port, state);
    const teacher = await framed(port, 'Frau Keller', first.key);
    const anna = await framed(port, 'Anna');
    const ben = await framed(port, 'Ben');
    const carl = await courseClient(port, 'Carl');
    const dora = await course(port, 'Dora');
    // Eva has neither hand nor mute: only her counts are kept.
    const eva = await framed(port, 'Eva');

    assert.equal((await ask(teacher, { type: 'broadcast', id: 'h1', text: HINT })).status, 'delivered');
    await ask(anna, { type: 'hand', id: 'a1', up: true, question: 'Wie geht bind?' });
    carl.write('!hand\nFrage zu connect\n');
    await ask(anna, { type: 'send', id: 'a2', to: 'Ben', text: 'Hallo Ben' });
    await ask(eva, { type: 'send', id: 'e1', to: 'Anna', text: 'Hallo Anna' });
    await ask(teacher, { type: 'send', id: 't1', to: 'Ben', text: 'Bitte ruhig' });
    await ask(teacher, { type: 'moderate', id: 'm1', action: 'mute', name: 'Ben', minutes: 30 });
    await ask(teacher, { type: 'moderate', id: 'm2', action: 'mute', name: 'Dora' });
    await dora.waitFor('stummgeschaltet');
    const names = ['Anna', 'Ben', 'Carl', 'Dora', 'Eva'];
    const before = await standings(
      teacher,
      names,
      (entries) => entries.filter((entry) => entry.hand).length === 2 && entries.filter((e) => e.muted).length === 2,
    );
    assert.equal(before.Carl!.hand?.question, 'Frage zu connect');
    assert.deepEqual([before.Eva!.sent, before.Anna!.received], [1, 2], 'counts were made before the restart');
    assert.ok(before.Ben!.muted?.until, 'Ben is muted for 30 minutes');

    if (signal === 'SIGKILL') await sleep(RELAY_DEFAULTS.stateWriteMs.value * 3);
    first.child.process.kill(signal);
    await first.child.exited;
    for (const peer of [teacher, anna, ben, dora, eva]) peer.socket.destroy();
    await carl.stop();

    const second = await serve(port, state);
    assert.equal(second.key, first.key, 'the same key is printed, and the teacher need not type a new one');
    const teacherAgain = await framed(port, 'Frau Keller', second.key);
    const annaAgain = await framed(port, 'Anna');
    const annaSelf = await annaAgain.next('self');
    assert.deepEqual(annaSelf.hand, before.Anna!.hand, "Anna's hand is up with her question, as before");
    const benAgain = await framed(port, 'Ben');
    const benSelf = await benAgain.next('self');
    assert.deepEqual(benSelf.muted, before.Ben!.muted, 'Ben is muted until the same time');
    const carlAgain = await courseClient(port, 'Carl');
    const doraAgain = await course(port, 'Dora');
    await framed(port, 'Eva');
    await doraAgain.waitFor('bis auf Weiteres stummgeschaltet');

    const afterRestart = await standings(teacherAgain, names);
    assert.deepEqual(afterRestart, before, 'hands, mutes and counts as before the restart');

    // Late joiners get the hint, in both dialects.
    const emil = await framed(port, 'Emil');
    const hint = await emil.next('broadcast');
    assert.equal(hint.text, HINT);
    assert.equal(hint.earlier, true);
    const finn = await course(port, 'Finn');
    await finn.waitFor(HINT);

    // Nobody was told of a change: no "unmuted" line, no lowered hand, no second standing.
    await sleep(300);
    assert.doesNotMatch(doraAgain.text, /aufgehoben/);
    assert.doesNotMatch(carlAgain.stdout, /aufgehoben|Hand ist unten/);
    assert.deepEqual(
      benAgain.frames.filter((frame) => frame.type === 'self'),
      [],
      'Ben got one standing, the one he had',
    );
    assert.deepEqual(
      annaAgain.frames.filter((frame) => frame.type === 'self'),
      [],
      'Anna got one standing, the one she had',
    );
    await carlAgain.stop();
    second.child.process.kill('SIGTERM');
    await second.child.exited;
  });
}

test('a muted student may still write to the teacher, not to a classmate, in both dialects', async () => {
  const port = await freePort();
  const relay = await serve(port, stateDir());
  const teacher = await framed(port, 'Frau Keller', relay.key);
  const ben = await framed(port, 'Ben');
  const anna = await framed(port, 'Anna');
  const dora = await course(port, 'Dora');
  await ask(teacher, { type: 'moderate', id: 'm1', action: 'mute', name: 'Ben', minutes: 10 });
  await ask(teacher, { type: 'moderate', id: 'm2', action: 'mute', name: 'Dora' });
  await dora.waitFor('stummgeschaltet');

  assert.equal(
    (await ask(ben, { type: 'send', id: 'b1', to: 'Frau Keller', text: 'Darf ich fragen?' })).status,
    'delivered',
  );
  assert.equal((await teacher.next('message', (message) => message.from === 'Ben')).text, 'Darf ich fragen?');
  const refused = await ask(ben, { type: 'send', id: 'b2', to: 'Anna', text: 'Psst' });
  assert.deepEqual([refused.status, refused.reason], ['rejected', 'muted']);

  dora.write('Frau Keller:Ich habe eine Frage\n');
  assert.equal((await teacher.next('message', (message) => message.from === 'Dora')).text, 'Ich habe eine Frage');
  dora.write('Anna:Psst\n');
  await dora.waitFor('Fehler: Du bist bis auf Weiteres stummgeschaltet');
  await sleep(200);
  assert.equal(
    anna.frames.filter((frame) => frame.type === 'message').length,
    0,
    'Anna got nothing from her muted classmates',
  );
});

test('serve --new-teacher-key makes a new key and keeps it; --teacher-key wins for its start and is never kept', async () => {
  const port = await freePort();
  const state = stateDir();
  const stop = async (relay: Pick<Serve, 'child'>) => {
    relay.child.process.kill('SIGTERM');
    await relay.child.exited;
  };
  const first = await serve(port, state);
  await stop(first);
  const renewed = await serve(port, state, ['--new-teacher-key']);
  assert.notEqual(renewed.key, first.key);
  const { answer } = await FramedPeer.hello(port, 'Frau Keller', { teacherKey: first.key });
  assert.equal(answer.type, 'error', 'the old key is no teacher key any more');
  await stop(renewed);

  const givenKey = 'ein-schluessel-von-der-lehrerin';
  const given = start(process.execPath, serveArgs(port, '--state', state), {
    env: { RELAY_TEACHER_KEY: givenKey },
  });
  await given.waitFor('Stop with Ctrl+C.');
  assert.match(given.stdout, /A teacher key is set \(from RELAY_TEACHER_KEY\)/);
  assert.match(given.stdout, /The lesson \(hints, hands, mutes, counts; not the key given\) is kept in/);
  const teacher = await framed(port, 'Frau Keller', givenKey);
  assert.equal((await ask(teacher, { type: 'broadcast', id: 'h1', text: HINT })).status, 'delivered');
  await stop({ child: given });
  teacher.socket.destroy();
  assert.ok(
    !readFileSync(join(state, 'lesson.sqlite')).includes(Buffer.from(givenKey)),
    'the key given is nowhere in the state folder',
  );

  const again = await serve(port, state);
  assert.equal(again.key, renewed.key, 'the kept key is the one the relay made');
  const late = await framed(port, 'Emil');
  assert.equal((await late.next('broadcast')).text, HINT, 'the lesson under the key given is kept');
  await stop(again);
});

test('a damaged store is set aside with a log line, and the relay starts fresh and serves', async () => {
  const port = await freePort();
  const state = stateDir();
  writeFileSync(join(state, 'lesson.sqlite'), 'this is not a database, it was damaged on purpose\n'.repeat(100));
  const relay = await serve(port, state);
  assert.match(relay.child.stdout, /lesson\.sqlite is damaged .*set aside as .*lesson\.sqlite\.damaged-/);
  assert.equal(readdirSync(state).filter((file) => file.startsWith('lesson.sqlite.damaged-')).length, 1);
  await framed(port, 'Frau Keller', relay.key);
  const student = await framed(port, 'Anna');
  assert.equal((await ask(student, { type: 'send', id: 'x', to: 'Frau Keller', text: 'da?' })).status, 'delivered');
});

test('a second relay on the same state folder refuses to start, naming the folder and --state', async () => {
  const state = stateDir();
  const first = await serve(await freePort(), state);
  const second = await run(process.execPath, serveArgs(await freePort(), '--state', state));
  assert.equal(second.code, 1);
  assert.match(second.stderr, new RegExp(`process ${first.child.process.pid}.*${state}.*--state`));
});

test("the course client's !hand forms give the question without the colon of Recipient:Text", async () => {
  const { port, relay } = await startRelay({ teacherKey: 'a-teacher-key-for-the-test' });
  const teacher = await framed(port, 'Frau Keller', 'a-teacher-key-for-the-test');
  const asked = await courseClient(port, 'Asked');
  const inName = await courseClient(port, 'InName');
  const plain = await courseClient(port, 'Plain');
  asked.write('!hand\nFrage zu bind\n');
  inName.write('!hand Wie geht recv?\n\n');
  plain.write('!hand\n\n');
  const hands = await standings(teacher, ['Asked', 'InName', 'Plain'], (entries) =>
    ['Asked', 'InName', 'Plain'].every((name) => entries.find((entry) => entry.name === name)?.hand),
  );
  assert.equal(hands.Asked!.hand!.question, 'Frage zu bind');
  assert.equal(hands.InName!.hand!.question, 'Wie geht recv?');
  assert.equal(hands.Plain!.hand!.question, undefined);
  for (const client of [asked, inName, plain]) await client.stop();
  await relay.close();
});
