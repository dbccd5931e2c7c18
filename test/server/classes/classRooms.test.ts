/**
 * Classes on one relay: two classes and the default class, framed and course clients in each.
 * Nothing of one class reaches another: messages, unknown recipients, presence, who, hints (also
 * for late joiners), the roster, moderation, teacher keys and resume tokens; the same name may be
 * in each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { makeClass } from '../../helpers/relay/classes';
import { coursePeer, FramedPeer, RawPeer, sleep } from '../../helpers/relay/peers';

const relay = relaysForThisFile();
const ADMIN = 'schulhaus-admin-schluessel-7';
const RELAY_KEY = 'kreide-tafel-schwamm-42';

/** A relay with two classes made by the admin key. */
async function schoolRelay() {
  const started = await relay({ teacherKey: RELAY_KEY, adminKey: ADMIN, rosterMs: 50 });
  const a = await makeClass(started.port, ADMIN);
  const b = await makeClass(started.port, ADMIN);
  return { ...started, a, b };
}

test('a message reaches the same name in its own class only; a name in another class is not found, in both dialects', async () => {
  const { port, a, b } = await schoolRelay();
  const annaA = await FramedPeer.connect(port, 'Anna', { class: a.code });
  const annaB = await FramedPeer.connect(port, 'Anna', { class: b.code });
  const annaDefault = await FramedPeer.connect(port, 'Anna');
  const ben = await coursePeer(port, `${a.code}/Ben`, true);
  const dora = await FramedPeer.connect(port, 'Dora', { class: b.code });
  const carol = await coursePeer(port, 'Carol', true);

  ben.write('Anna:Hallo aus A\n');
  assert.equal((await annaA.next('message')).text, 'Hallo aus A');
  carol.write('Anna:Hallo aus dem Standard\n');
  assert.equal((await annaDefault.next('message')).text, 'Hallo aus dem Standard');
  dora.send({ type: 'send', id: 'd1', to: 'Anna', text: 'Hallo aus B' });
  assert.equal((await annaB.next('message')).text, 'Hallo aus B');

  annaA.send({ type: 'send', id: 'x1', to: 'Dora', text: 'bist du da?' });
  assert.equal((await annaA.next('ack', (ack) => ack.id === 'x1')).status, 'unknown-peer');
  annaA.send({ type: 'send', id: 'x2', to: 'Carol', text: 'bist du da?' });
  assert.equal((await annaA.next('ack', (ack) => ack.id === 'x2')).status, 'unknown-peer');
  ben.write('Dora:Hallo\n');
  await ben.waitFor('Empfänger Dora nicht gefunden.');
  carol.write('Ben:Hallo\n');
  await carol.waitFor('Empfänger Ben nicht gefunden.');

  await sleep(100);
  assert.deepEqual(
    [annaA, annaB, annaDefault].map((peer) => peer.frames.filter((frame) => frame.type === 'message').length),
    [0, 0, 0],
    'each Anna got exactly her own class message',
  );
  assert.doesNotMatch(dora.frames.map((frame) => JSON.stringify(frame)).join('\n'), /Hallo aus A|Standard/);
});

test('the same name joins the default class and two classes at once, and each is welcomed in its own class', async () => {
  const { port, a, b } = await schoolRelay();
  const answers = await Promise.all(
    [undefined, a.code, b.code].map((code) => FramedPeer.hello(port, 'Mia', code ? { class: code } : {})),
  );
  assert.deepEqual(
    answers.map(({ answer }) => (answer.type === 'welcome' ? [answer.name, answer.class] : answer.code)),
    [
      ['Mia', undefined],
      ['Mia', a.code],
      ['Mia', b.code],
    ],
  );
  const course = await coursePeer(port, `${a.code}/Mia`, true);
  await course.waitFor('Fehler: Der Name "Mia" ist bereits vergeben.');
});

test('presence and who stay inside a class', async () => {
  const { port, relay: server, a, b } = await schoolRelay();
  const first = await FramedPeer.connect(port, 'Lea', { class: a.code });
  const other = await FramedPeer.connect(port, 'Tom', { class: b.code });
  const standard = await FramedPeer.connect(port, 'Sara');
  await FramedPeer.connect(port, 'Noah', { class: a.code });
  await coursePeer(port, `${a.code}/Emil`, true);
  await first.next('presence', (frame) => frame.name === 'Emil');
  await sleep(400);
  assert.deepEqual(
    other.frames.filter((frame) => frame.type === 'presence'),
    [],
    'class B hears nobody join class A',
  );
  assert.deepEqual(
    standard.frames.filter((frame) => frame.type === 'presence'),
    [],
    'the default class hears nobody join class A',
  );
  first.send({ type: 'who', id: 'w1' });
  assert.deepEqual((await first.next('online')).names.sort(), ['Emil', 'Noah']);
  other.send({ type: 'who', id: 'w2' });
  assert.deepEqual((await other.next('online')).names, []);
  assert.deepEqual(server.online, ['Sara'], "the relay's online list is the default class's");
});

test("a class's hints reach its own members and its late joiners in both dialects, and no one else", async () => {
  const { port, a, b } = await schoolRelay();
  const teacher = await FramedPeer.connect(port, 'Frau Keller', { class: a.code, teacherKey: a.teacherKey });
  const mia = await FramedPeer.connect(port, 'Mia', { class: a.code });
  const other = await FramedPeer.connect(port, 'Mia', { class: b.code });
  const standard = await coursePeer(port, 'Carol', true);
  teacher.send({ type: 'broadcast', id: 'h1', text: 'Port 12345 verwenden' });
  assert.equal((await teacher.next('ack')).recipients, 1);
  assert.equal((await mia.next('broadcast')).text, 'Port 12345 verwenden');

  const late = await FramedPeer.connect(port, 'Jonas', { class: a.code });
  const kept = await late.next('broadcast');
  assert.deepEqual([kept.text, kept.earlier], ['Port 12345 verwenden', true]);
  const lateCourse = await coursePeer(port, `${a.code}/Lina`, true);
  await lateCourse.waitFor('Port 12345 verwenden');

  const lateOther = await FramedPeer.connect(port, 'Jonas', { class: b.code });
  const lateStandard = await coursePeer(port, 'Lina', true);
  await sleep(300);
  for (const peer of [other, lateOther])
    assert.deepEqual(
      peer.frames.filter((frame) => frame.type === 'broadcast'),
      [],
    );
  for (const peer of [standard, lateStandard]) assert.doesNotMatch(peer.text, /12345/);
});

test("a class's teacher sees only that class's students in the roster", async () => {
  const { port, a, b } = await schoolRelay();
  const teacher = await FramedPeer.connect(port, 'Frau Keller', { class: a.code, teacherKey: a.teacherKey });
  await FramedPeer.connect(port, 'Mia', { class: a.code });
  await coursePeer(port, `${a.code}/Ben`, true);
  await FramedPeer.connect(port, 'Tom', { class: b.code });
  await coursePeer(port, 'Carol', true);
  const roster = await teacher.next('roster', (frame) => frame.total === 2);
  assert.deepEqual(roster.entries.map((entry) => entry.name).sort(), ['Ben', 'Mia']);
  await sleep(200);
  for (const frame of teacher.frames)
    if (frame.type === 'roster')
      assert.deepEqual(
        frame.entries.map((entry) => entry.name).filter((n) => n === 'Tom' || n === 'Carol'),
        [],
      );
});

test("a class's teacher mutes and disconnects within the class only: the same name elsewhere is untouched", async () => {
  const { port, a, b } = await schoolRelay();
  const teacher = await FramedPeer.connect(port, 'Frau Keller', { class: a.code, teacherKey: a.teacherKey });
  const miaA = await FramedPeer.connect(port, 'Mia', { class: a.code });
  const miaB = await FramedPeer.connect(port, 'Mia', { class: b.code });
  const miaDefault = await FramedPeer.connect(port, 'Mia');
  const tom = await FramedPeer.connect(port, 'Tom', { class: b.code });

  teacher.send({ type: 'moderate', id: 'm1', action: 'mute', name: 'Tom' });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm1')).status, 'unknown-peer');
  teacher.send({ type: 'moderate', id: 'm2', action: 'mute', name: 'Mia' });
  assert.equal((await teacher.next('ack', (ack) => ack.id === 'm2')).status, 'delivered');
  assert.ok((await miaA.next('self', (frame) => frame.muted !== undefined)).muted);
  miaB.send({ type: 'send', id: 's1', to: 'Tom', text: 'noch frei' });
  assert.equal((await miaB.next('ack', (ack) => ack.id === 's1')).status, 'delivered');
  assert.equal((await tom.next('message')).text, 'noch frei');

  teacher.send({ type: 'moderate', id: 'm3', action: 'disconnect', name: 'Mia', reason: 'Pause' });
  assert.equal((await miaA.next('error')).code, 'disconnected-by-teacher');
  await miaA.waitClosed();
  await sleep(100);
  assert.equal(miaB.closed || miaDefault.closed, false);
  assert.deepEqual(
    [...miaB.frames, ...miaDefault.frames].filter((frame) => frame.type === 'self' && frame.muted),
    [],
  );
});

test("a class's teacher key is refused in another class and in the default class, and the relay's key in a class", async () => {
  const { port, a, b } = await schoolRelay();
  const inB = await FramedPeer.hello(port, 'Frau Keller', { class: b.code, teacherKey: a.teacherKey });
  assert.equal(inB.answer.type === 'error' && inB.answer.code, 'teacher-key-invalid');
  assert.match(inB.answer.type === 'error' ? inB.answer.message : '', new RegExp(`not that of class ${b.code}`));
  const inDefault = await FramedPeer.hello(port, 'Frau Keller', { teacherKey: a.teacherKey });
  assert.equal(inDefault.answer.type === 'error' && inDefault.answer.code, 'teacher-key-invalid');
  const relayKeyInA = await FramedPeer.hello(port, 'Herr Gerber', { class: a.code, teacherKey: RELAY_KEY });
  assert.equal(relayKeyInA.answer.type === 'error' && relayKeyInA.answer.code, 'teacher-key-invalid');
  const own = await FramedPeer.hello(port, 'Frau Keller', { class: a.code, teacherKey: a.teacherKey });
  assert.equal(own.answer.type === 'welcome' && own.answer.role, 'teacher');
});

test('a resume token takes its name back in its own class only', async () => {
  const { port, a, b } = await schoolRelay();
  const first = await FramedPeer.hello(port, 'Mia', { class: a.code });
  assert.equal(first.answer.type, 'welcome');
  const token = first.answer.type === 'welcome' ? first.answer.resume : undefined;
  assert.ok(token);
  first.peer.drop();
  const elsewhere = await FramedPeer.hello(port, 'Mia', { class: b.code, resume: token });
  assert.equal(elsewhere.answer.type === 'welcome' && elsewhere.answer.resumed, undefined, 'not resumed in class B');
  const standard = await FramedPeer.hello(port, 'Mia', { resume: token });
  assert.equal(standard.answer.type === 'welcome' && standard.answer.resumed, undefined);
  const back = await FramedPeer.hello(port, 'Mia', { class: a.code, resume: token });
  assert.equal(back.answer.type === 'welcome' && back.answer.resumed, true);
});

test('a hello with an unknown or malformed class code is refused unknown-class, naming the code', async () => {
  const { port } = await schoolRelay();
  const unknown = await FramedPeer.hello(port, 'Mia', { class: '4kx-92m' });
  assert.equal(unknown.answer.type, 'error');
  if (unknown.answer.type !== 'error') return;
  assert.deepEqual([unknown.answer.code, unknown.answer.fatal], ['unknown-class', true]);
  assert.match(unknown.answer.message, /there is no class 4kx-92m on this relay; it may have ended/);
  await unknown.peer.waitClosed();
  const malformed = await FramedPeer.hello(port, 'Mia', { class: '0ol-111' });
  assert.equal(malformed.answer.type === 'error' && malformed.answer.code, 'unknown-class');
  assert.match(
    malformed.answer.type === 'error' ? malformed.answer.message : '',
    /^there is no class "0ol-111" on this relay: class codes have no "0"/,
  );
});

test('a course client with an unknown code is told in German and may try again on the same connection', async () => {
  const { port, a } = await schoolRelay();
  const mia = await RawPeer.connect(port);
  mia.write('4kx-92m/Mia\n');
  await mia.waitFor(
    'Fehler: Die Klasse 4kx-92m gibt es auf diesem Relay nicht (vielleicht ist sie beendet). Schreib deinen Namen, oder CODE/Name mit dem Code deiner Klasse.\n',
  );
  assert.equal(mia.closed, false);
  mia.write(`${a.code}/Mia\n`);
  const teacher = await FramedPeer.connect(port, 'Frau Keller', { class: a.code, teacherKey: a.teacherKey });
  teacher.send({ type: 'send', id: 't1', to: 'Mia', text: 'Willkommen' });
  assert.equal((await teacher.next('ack')).status, 'delivered');
  await mia.waitFor('Willkommen');
});
