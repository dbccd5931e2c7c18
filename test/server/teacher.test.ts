/**
 * Teacher mode on the relay: roles by the teacher key, hints only from teachers (and kept for
 * late joiners), the roster, moderation and raised hands, in both dialects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, FramedPeer, sleep } from '../helpers/relay/peers';
import { eventually } from '../helpers/time/wait';

const relay = relaysForThisFile();
const KEY = 'kreide-tafel-schwamm-42';
const teacherRelay = (options = {}) => relay({ teacherKey: KEY, rosterMs: 50, ...options });

test('a client presenting the teacher key is a teacher; several may hold it; a wrong key is a fatal, clearly worded error', async () => {
  const { port, logs } = await teacherRelay();
  const keller = await FramedPeer.connect(port);
  keller.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Frau Keller', teacherKey: KEY });
  assert.equal((await keller.next('welcome')).role, 'teacher');
  const assistant = await FramedPeer.connect(port);
  assistant.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Herr Gerber', teacherKey: KEY });
  assert.equal((await assistant.next('welcome')).role, 'teacher');
  const student = await FramedPeer.connect(port);
  student.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Mia' });
  assert.equal((await student.next('welcome')).role, 'student');
  const guesser = await FramedPeer.connect(port);
  guesser.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Tim',
    teacherKey: 'kreide-tafel-schwamm-43',
  });
  const error = await guesser.next('error');
  assert.deepEqual({ code: error.code, fatal: error.fatal }, { code: 'teacher-key-invalid', fatal: true });
  assert.match(
    error.message,
    /^the teacher key is not right; ask whoever runs the relay for it, or connect without it as a student$/,
  );
  await guesser.waitClosed();
  assert.ok(
    logs.some((line) => /refused .* name "Tim": wrong teacher key/.test(line)),
    logs.join('\n'),
  );
  assert.doesNotMatch(logs.join('\n'), /kreide-tafel-schwamm/);
});

test('a relay without a teacher key has no teachers', async () => {
  const { port } = await relay();
  const peer = await FramedPeer.connect(port);
  peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Frau Keller', teacherKey: KEY });
  assert.equal((await peer.next('error')).code, 'teacher-key-invalid');
});

test("only teachers broadcast: a student is refused with not-allowed; a teacher's hint reaches everyone marked by the relay", async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const mia = await FramedPeer.connect(port, 'Mia');
  const carol = await coursePeer(port, 'Carol', true);
  mia.send({ type: 'broadcast', id: 's1', text: 'Die Lösung ist 42' });
  const refused = await mia.next('ack');
  assert.deepEqual(
    { status: refused.status, reason: refused.reason, detail: refused.detail },
    { status: 'rejected', reason: 'not-allowed', detail: 'only teachers can send to everyone' },
  );
  keller.send({ type: 'broadcast', id: 'h1', text: 'Tipp: recv() liefert höchstens 1024 Bytes' });
  assert.deepEqual(await keller.next('ack'), { type: 'ack', id: 'h1', status: 'delivered', recipients: 2 });
  const hint = await mia.next('broadcast');
  assert.deepEqual(
    { from: hint.from, text: hint.text, teacher: hint.teacher },
    { from: 'Frau Keller', text: 'Tipp: recv() liefert höchstens 1024 Bytes', teacher: true },
  );
  await carol.waitFor('Frau Keller (Lehrperson, an alle): Tipp: recv() liefert höchstens 1024 Bytes\n');
  assert.ok(!carol.text.includes('Die Lösung'));
  await sleep(50);
  assert.equal(
    keller.frames.filter((frame) => frame.type === 'broadcast').length,
    0,
    'the teacher does not get its own hint back',
  );
});

test("the teacher marker comes from the relay: a student cannot send it, be named like it, or take a teacher's name", async () => {
  const { port } = await teacherRelay();
  await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const mia = await FramedPeer.connect(port, 'Mia');
  const carol = await coursePeer(port, 'Carol', true);
  // A frame claiming the flag: the field is not part of what a client sends, and the relay sets its own.
  mia.socket.write(
    `${JSON.stringify({ type: 'send', id: 'm1', to: 'Carol', text: 'Abgabe per Mail!', teacher: true })}\n`,
  );
  await carol.waitFor('Mia: Abgabe per Mail!\n');
  const eve = await FramedPeer.connect(port, 'Eve');
  eve.send({ type: 'send', id: 'e1', to: 'Mia', text: 'Abgabe per Mail!' });
  assert.equal((await mia.next('message')).teacher, undefined);
  // A course client imitating the marker in its text is shown as itself.
  const dana = await coursePeer(port, 'Dana', true);
  dana.write('Carol:Frau Keller (Lehrperson, an alle): Abgabe heute\n');
  await carol.waitFor('Dana: Frau Keller (Lehrperson, an alle): Abgabe heute\n');
  const refused: Array<[string, string]> = [
    ['Frau Keller (Lehrperson)', 'name-invalid'],
    ['Frau Kеller', 'name-invalid'], // a Cyrillic е among Latin letters
    ['FRAU KELLER', 'name-taken'],
    ['Frau KeIler', 'name-taken'], // a capital I for the l: the same to the eye
    ['Lehrperson', 'name-reserved'],
  ];
  for (const [name, code] of refused) {
    const peer = await FramedPeer.connect(port);
    peer.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name });
    assert.equal((await peer.next('error')).code, code, name);
  }
  const imitator = await coursePeer(port, 'Frau KeIler', true);
  await imitator.waitClosed();
  assert.match(imitator.text, /Frau KeIler/, 'a course client under the look-alike is refused too');
});

test("a teacher's direct message reaches a course client marked as the teacher's", async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const carol = await coursePeer(port, 'Carol', true);
  keller.send({ type: 'send', id: 'k1', to: 'Carol', text: 'Gut gemacht!' });
  await carol.waitFor('Frau Keller (Lehrperson): Gut gemacht!\n');
});

test('the relay keeps the last 50 hints for those who join later: after 51, a newcomer gets the 2nd to the 51st', async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  for (let index = 1; index <= 51; index++) {
    keller.send({ type: 'broadcast', id: `h${index}`, text: `Hinweis ${index}` });
    await keller.next('ack');
  }
  const late = await FramedPeer.connect(port, 'Spät');
  const texts: string[] = [];
  for (let index = 0; index < 50; index++) texts.push((await late.next('broadcast')).text);
  assert.deepEqual(
    texts,
    Array.from({ length: 50 }, (_, index) => `Hinweis ${index + 2}`),
  );
  late.send({ type: 'ping', id: 'p' });
  await late.next('pong');
  assert.equal(late.frames.filter((frame) => frame.type === 'broadcast').length, 0, 'no 51st');
});

test("those who join later get the lesson's hints in order, marked as earlier, in both dialects; Clear Hints clears them for everyone", async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const early = await FramedPeer.connect(port, 'Früh');
  for (const [id, text] of [
    ['h1', 'Erster Hinweis'],
    ['h2', 'Zweiter Hinweis'],
  ]) {
    keller.send({ type: 'broadcast', id: id!, text: text! });
    await keller.next('ack');
  }
  keller.send({
    type: 'broadcast',
    id: 'h3',
    text: '',
    snippet: { code: 'data = sock.recv(1024)', language: 'python' },
  });
  await keller.next('ack');
  const late = await FramedPeer.connect(port, 'Spät');
  const earlier = [await late.next('broadcast'), await late.next('broadcast'), await late.next('broadcast')];
  assert.deepEqual(
    earlier.map((hint) => [hint.text.split('\n')[0], hint.earlier, hint.teacher, hint.from]),
    [
      ['Erster Hinweis', true, true, 'Frau Keller'],
      ['Zweiter Hinweis', true, true, 'Frau Keller'],
      ['[python code, 1 line]', true, true, 'Frau Keller'],
    ],
  );
  assert.deepEqual(earlier[2]!.snippet, { code: 'data = sock.recv(1024)', language: 'python' });
  assert.ok(Date.parse(earlier[0]!.at) <= Date.parse(earlier[1]!.at));
  const course = await coursePeer(port, 'Kurs', true);
  await course.waitFor((text) => text.split('\n').filter(Boolean).length >= 5);
  const lines = course.text.split('\n').filter(Boolean);
  assert.match(lines[0]!, /^Frau Keller \(Lehrperson, an alle, \d\d:\d\d\): Erster Hinweis$/);
  assert.match(lines[1]!, /^Frau Keller \(Lehrperson, an alle, \d\d:\d\d\): Zweiter Hinweis$/);
  assert.match(lines[2]!, /^Frau Keller \(Lehrperson, an alle, \d\d:\d\d\): ```python$/);

  early.send({ type: 'clear-hints', id: 'c0' });
  assert.equal((await early.next('ack')).reason, 'not-allowed');
  keller.send({ type: 'clear-hints', id: 'c1' });
  assert.equal((await keller.next('ack')).status, 'delivered');
  for (const peer of [early, late, keller]) assert.equal((await peer.next('hints-cleared')).by, 'Frau Keller');
  const after = await FramedPeer.connect(port, 'Danach');
  await sleep(100);
  assert.equal(after.frames.filter((frame) => frame.type === 'broadcast').length, 0);
});

test('the roster shows every student with dialect, address, time and counts that match the traffic', async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const mia = await FramedPeer.connect(port, 'Mia');
  const carol = await coursePeer(port, 'Carol', true);
  mia.send({ type: 'send', id: 'm1', to: 'Carol', text: 'eins' });
  mia.send({ type: 'send', id: 'm2', to: 'Carol', text: 'zwei' });
  await carol.waitFor('Mia: zwei\n');
  carol.write('Mia:drei\n');
  await mia.next('message');
  keller.send({ type: 'send', id: 'k1', to: 'Mia', text: 'vier' });
  await mia.next('message');
  const roster = await keller.next(
    'roster',
    (frame) =>
      frame.entries.some((entry) => entry.name === 'Mia' && entry.received === 2) &&
      frame.entries.some((entry) => entry.name === 'Carol' && entry.sent === 1),
  );
  assert.equal(roster.total, 2, 'teachers are not listed as students');
  const byName = Object.fromEntries(roster.entries.map((entry) => [entry.name, entry]));
  assert.deepEqual(
    { dialect: byName.Mia!.dialect, role: byName.Mia!.role, sent: byName.Mia!.sent, received: byName.Mia!.received },
    { dialect: 'relay', role: 'student', sent: 2, received: 2 },
  );
  assert.deepEqual(
    { dialect: byName.Carol!.dialect, sent: byName.Carol!.sent, received: byName.Carol!.received },
    { dialect: 'course', sent: 1, received: 2 },
  );
  assert.match(byName.Carol!.address, /^127\.0\.0\.1:\d+$/);
  assert.ok(Date.now() - Date.parse(byName.Carol!.since) < 60_000);
  void mia.close();
  await keller.next('roster', (frame) => frame.total === 1);
  // A student never gets the roster.
  assert.equal(carol.text.includes('roster'), false);
});

test('raised hands from both dialects come first in the roster until the teacher answers or lowers them; the student sees its hand', async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const anna = await FramedPeer.connect(port, 'Anna');
  const zoe = await FramedPeer.connect(port, 'Zoe');
  const carl = await coursePeer(port, 'Carl', true);
  zoe.send({ type: 'hand', id: 'h1', up: true, question: 'Warum blockiert recv()?' });
  assert.equal((await zoe.next('ack')).status, 'delivered');
  assert.equal((await zoe.next('self', (frame) => frame.hand !== undefined)).hand?.question, 'Warum blockiert recv()?');
  await sleep(20);
  carl.write('!hand Wie starte ich den Server?\n');
  await carl.waitFor(
    'Deine Hand ist oben: die Lehrperson sieht sie in ihrer Liste. Mit !hand ab nimmst du sie herunter.\n',
  );
  const roster = await keller.next('roster', (frame) => frame.entries.filter((entry) => entry.hand).length === 2);
  assert.deepEqual(
    roster.entries.map((entry) => [entry.name, entry.hand?.question]),
    [
      ['Zoe', 'Warum blockiert recv()?'],
      ['Carl', 'Wie starte ich den Server?'],
      ['Anna', undefined],
    ],
  );
  // The teacher answers Zoe: her hand goes down. The teacher lowers Carl's.
  keller.send({ type: 'send', id: 'a1', to: 'Zoe', text: 'Weil es auf Daten wartet.' });
  await zoe.next('self', (frame) => frame.hand === undefined);
  keller.send({ type: 'moderate', id: 'l1', action: 'lower-hand', name: 'Carl' });
  await carl.waitFor('Deine Hand ist unten.\n');
  await keller.next('roster', (frame) => frame.entries.every((entry) => !entry.hand));
  assert.equal(anna.frames.filter((frame) => frame.type === 'roster').length, 0);
});

test("a muted student's messages are refused with a reason it sees, also after reconnecting, until the time is up or the teacher unmutes", async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const mia = await FramedPeer.connect(port, 'Mia');
  const carol = await coursePeer(port, 'Carol', true);
  keller.send({ type: 'moderate', id: 'x1', action: 'mute', name: 'Mia', minutes: 10 });
  assert.equal((await keller.next('ack')).status, 'delivered');
  const self = await mia.next('self', (frame) => frame.muted !== undefined);
  assert.ok(Date.parse(self.muted!.until!) - Date.now() > 9 * 60_000);
  mia.send({ type: 'send', id: 'm1', to: 'Carol', text: 'hallo?' });
  const refused = await mia.next('ack');
  assert.equal(refused.reason, 'muted');
  assert.match(refused.detail!, /^a teacher muted you until \d{4}-\d\d-\d\dT/);
  await mia.close();
  const again = await FramedPeer.connect(port, 'Mia');
  assert.ok((await again.next('self')).muted, 'the mute outlasts a reconnect');
  keller.send({ type: 'moderate', id: 'x2', action: 'mute', name: 'Carol' });
  await carol.waitFor(
    'Die Lehrperson hat dich bis auf Weiteres stummgeschaltet: deine Nachrichten werden nicht weitergeleitet.\n',
  );
  carol.write('Mia:hörst du mich?\n');
  await carol.waitFor(
    'Fehler: Du bist bis auf Weiteres stummgeschaltet. Deine Nachricht wurde nicht weitergeleitet.\n',
  );
  keller.send({ type: 'moderate', id: 'x3', action: 'unmute', name: 'Carol' });
  await carol.waitFor('Die Lehrperson hat die Stummschaltung aufgehoben: du kannst wieder schreiben.\n');
  carol.write('Mia:jetzt?\n');
  assert.equal((await again.next('message')).text, 'jetzt?');
  keller.send({ type: 'moderate', id: 'x4', action: 'unmute', name: 'Mia' });
  await again.next('self', (frame) => frame.muted === undefined);
  again.send({ type: 'send', id: 'm2', to: 'Carol', text: 'wieder da' });
  assert.equal((await again.next('ack')).status, 'delivered');
  // Students cannot moderate, teachers cannot be moderated.
  again.send({ type: 'moderate', id: 'x5', action: 'mute', name: 'Carol' });
  assert.equal((await again.next('ack')).reason, 'not-allowed');
  const gerber = await FramedPeer.connect(port, 'Herr Gerber', { teacherKey: KEY });
  gerber.send({ type: 'moderate', id: 'x6', action: 'mute', name: 'Frau Keller' });
  assert.equal((await gerber.next('ack')).reason, 'not-allowed');
});

test('a mute for minutes ends by itself', async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const mia = await FramedPeer.connect(port, 'Mia');
  await FramedPeer.connect(port, 'Bob');
  keller.send({ type: 'moderate', id: 'x1', action: 'mute', name: 'Mia', minutes: 0.005 });
  await mia.next('self', (frame) => frame.muted !== undefined);
  await sleep(400);
  mia.send({ type: 'send', id: 'm1', to: 'Bob', text: 'frei' });
  assert.equal((await mia.next('ack')).status, 'delivered');
});

test('a teacher disconnects a student with a reason the student is told, in both dialects', async () => {
  const { port, relay: server } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const mia = await FramedPeer.connect(port, 'Mia');
  const carol = await coursePeer(port, 'Carol', true);
  keller.send({ type: 'moderate', id: 'd1', action: 'disconnect', name: 'Mia', reason: 'Bitte jetzt zuhören.' });
  const error = await mia.next('error');
  assert.deepEqual(
    { code: error.code, message: error.message, fatal: error.fatal },
    { code: 'disconnected-by-teacher', message: 'Bitte jetzt zuhören.', fatal: true },
  );
  await mia.waitClosed();
  keller.send({ type: 'moderate', id: 'd2', action: 'disconnect', name: 'Carol', reason: 'Pause' });
  await carol.waitClosed();
  assert.match(carol.text, /Die Lehrperson hat dich getrennt: Pause\n$/);
  keller.send({ type: 'moderate', id: 'd3', action: 'disconnect', name: 'Niemand', reason: 'x' });
  assert.equal((await keller.next('ack', (ack) => ack.id === 'd3')).status, 'unknown-peer');
  await eventually(
    () => server.online.length === 1,
    () => server.online.join(', '),
  );
});

test('a name whose client lost its connection is held for it: a classmate cannot take it and read its messages; a goodbye frees it at once', async () => {
  const { port } = await teacherRelay();
  const alice = await FramedPeer.connect(port);
  alice.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Alice' });
  const { resume } = await alice.next('welcome');
  alice.drop();
  await sleep(100);
  const mallory = await FramedPeer.connect(port);
  mallory.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'alice' });
  const refused = await mallory.next('error');
  assert.equal(refused.code, 'name-taken');
  assert.match(refused.message, /held for a minute for the client that had it and lost its connection/);
  const nina = await coursePeer(port, 'Alice', true);
  await nina.waitClosed();
  assert.match(nina.text, /^Fehler: Der Name "Alice" ist für eine Minute reserviert/);
  const back = await FramedPeer.connect(port);
  back.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Alice',
    resume: { token: resume!, lastSeq: 0 },
  });
  assert.equal((await back.next('welcome')).resumed, true);
  await back.close();
  const next = await FramedPeer.connect(port, 'Alice');
  assert.equal(next.closed, false, 'after a goodbye the name is free');
});

test('the roster fits a frame whatever the students write: questions are cut and escaped, entries stop before the limit', async () => {
  const { port } = await teacherRelay({
    maxConnectionsPerAddress: 400,
    registrations: { burst: 400 },
    rate: { perMinute: 6000, burst: 1000 },
  });
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  // Long names of three-byte characters: 300 of them do not fit one frame.
  const students = await Promise.all(
    Array.from({ length: 300 }, (_, index) => FramedPeer.connect(port, `${'語'.repeat(28)}${index}`)),
  );
  for (const student of students.slice(0, 11))
    student.send({ type: 'hand', id: 'h', up: true, question: '\u0001'.repeat(1024) });
  const roster = await keller.next(
    'roster',
    (frame) => frame.total === 300 && frame.entries.filter((entry) => entry.hand).length === 11,
    10_000,
  );
  assert.ok(Buffer.byteLength(JSON.stringify(roster)) < 64 * 1024);
  assert.ok(roster.entries.length < 300 && roster.entries.length > 100, `${roster.entries.length} entries`);
  const question = roster.entries[0]!.hand!.question!;
  assert.ok([...question].length <= 200);
  assert.match(question, /^(\\u\{0001\})+/);
});

test('a raised hand outlasts a reconnect, and a muted course client is told so when it joins', async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const zoe = await FramedPeer.connect(port, 'Zoe');
  zoe.send({ type: 'hand', id: 'h1', up: true });
  await zoe.next('self', (frame) => frame.hand !== undefined);
  await zoe.close();
  const back = await FramedPeer.connect(port, 'Zoe');
  assert.ok((await back.next('self')).hand, 'the hand is still up');
  const carl = await coursePeer(port, 'Carl', true);
  keller.send({ type: 'moderate', id: 'm', action: 'mute', name: 'Carl', minutes: 30 });
  await carl.waitFor('stummgeschaltet');
  carl.close();
  await sleep(100);
  const again = await coursePeer(port, 'Carl', true);
  await again.waitFor(/Die Lehrperson hat dich bis \d\d:\d\d Uhr stummgeschaltet/);
});

test('an address that tries wrong teacher keys is locked out of trying for a minute, even with the right key', async () => {
  const { port } = await teacherRelay();
  for (let attempt = 0; attempt < 5; attempt++) {
    const guess = await FramedPeer.connect(port);
    guess.send({
      type: 'hello',
      protocol: 'classroom-relay',
      versions: [1],
      name: `Rate${attempt}`,
      teacherKey: `falsch-${attempt}-xxxxxx`,
    });
    assert.equal((await guess.next('error')).code, 'teacher-key-invalid');
  }
  const right = await FramedPeer.connect(port);
  right.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Frau Keller', teacherKey: KEY });
  assert.equal((await right.next('error')).code, 'teacher-key-locked');
});

test('a teacher whose connection dropped comes back with its resume token and key even while classmates behind the same address are locked out; the key alone is still refused there, and a token shown with a wrong key is spent', async () => {
  const { port } = await teacherRelay();
  const hello = (name: string, options: { teacherKey?: string; resume?: string } = {}) =>
    FramedPeer.hello(port, name, options);
  const first = await hello('Frau Keller', { teacherKey: KEY });
  assert.equal(first.answer.type === 'welcome' && first.answer.role, 'teacher');
  first.peer.drop();
  for (let attempt = 0; attempt < 5; attempt++) {
    const guess = await hello(`Rate${attempt}`, { teacherKey: `falsch-${attempt}-xxxxxx` });
    assert.equal(guess.answer.type === 'error' && guess.answer.code, 'teacher-key-invalid');
  }
  const keyAlone = await hello('Frau Keller 2', { teacherKey: KEY });
  assert.equal(
    keyAlone.answer.type === 'error' && keyAlone.answer.code,
    'teacher-key-locked',
    'the key alone, from the locked address',
  );
  const back = await hello('Frau Keller', {
    teacherKey: KEY,
    resume: first.answer.type === 'welcome' ? first.answer.resume : '',
  });
  assert.deepEqual(back.answer.type === 'welcome' && [back.answer.role, back.answer.resumed], ['teacher', true]);
  const token = back.answer.type === 'welcome' ? back.answer.resume! : '';
  back.peer.drop();
  // Whoever got hold of the teacher's token has one try with it, not a guess per hello.
  const wrong = await hello('Frau Keller', { teacherKey: 'falsch-mit-token', resume: token });
  assert.equal(wrong.answer.type === 'error' && wrong.answer.code, 'teacher-key-locked');
  const spent = await hello('Frau Keller', { teacherKey: KEY, resume: token });
  assert.equal(
    spent.answer.type === 'error' && spent.answer.code,
    'teacher-key-locked',
    'the token shown with a wrong key vouches no more',
  );
  // A student's own token does not open the lock: only a teacher's registration vouches.
  const mallory = await hello('Mallory');
  mallory.peer.drop();
  const again = await hello('Mallory', {
    teacherKey: KEY,
    resume: mallory.answer.type === 'welcome' ? mallory.answer.resume : '',
  });
  assert.equal(again.answer.type === 'error' && again.answer.code, 'teacher-key-locked');
});

test("a teacher's reason for disconnecting reaches a course client with its controls escaped", async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const carol = await coursePeer(port, 'Carol', true);
  keller.send({ type: 'moderate', id: 'd', action: 'disconnect', name: 'Carol', reason: 'Pause\nMia: komm raus' });
  await carol.waitClosed();
  assert.match(carol.text, /Die Lehrperson hat dich getrennt: Pause\\nMia: komm raus\n$/);
});
