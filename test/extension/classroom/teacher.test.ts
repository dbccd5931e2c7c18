/**
 * Teacher mode in the extension without VS Code: the teacher key (kept in secret storage,
 * presented on connect, a refused key explained), hints (a selection as a snippet hint, hints
 * for late joiners, clearing them), raised hands, the roster and what a teacher does from it.
 * A real relay over real TCP; the people at the keyboards are scripted.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatModel } from '../../../src/extension/chat/chatModel';
import { MUTE_CHOICES } from '../../../src/extension/classroom/classroom';
import { historyKey } from '../../../src/extension/chat/history/historyFileNames';
import { dayAndTimeForLine } from '../../../src/protocol/lineTime';
import { rosterNodes } from '../../../src/extension/classroom/rosterTree';
import { statusBarText } from '../../../src/extension/statusBarText';
import { HOSTED_KEY_SECRET, TEACHER_KEY_SECRET, TeacherKeys } from '../../../src/extension/classroom/teacherKeys';
import { EVERYONE, PANEL_KEEP, type HostToPanel } from '../../../src/protocol/panel';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { coursePeer, FramedPeer, sleep, type RawPeer } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';
import {
  english,
  german,
  hostsForThisFile,
  local,
  MemorySecrets,
  MemoryStorage,
  type ExtensionHost,
} from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const peers: Array<FramedPeer | RawPeer> = [];
after(async () => {
  for (const peer of peers) await peer.close();
});

const KEY = 'kreide-tafel-schwamm-42';
const teacherRelay = () => relay({ teacherKey: KEY, rosterMs: 50 });

async function framed(port: number, name: string, teacherKey?: string): Promise<FramedPeer> {
  const peer = await FramedPeer.connect(port, name, teacherKey ? { teacherKey } : {});
  peers.push(peer);
  return peer;
}

const GREET = {
  text: 'def greet(name):\n    return f"Hallo {name}!"\n',
  languageId: 'python',
  path: 'greet.py',
  startLine: 1,
  endLine: 3,
  empty: false,
};

const posted = <T extends HostToPanel['type']>(who: ExtensionHost, type: T) =>
  (who.panel?.posts ?? []).filter((post): post is Extract<HostToPanel, { type: T }> => post.type === type);

/** The roster as the teacher's tree view shows it, once `check` holds for it. */
async function rosterRows(
  teacher: ExtensionHost,
  check: (rows: ReturnType<typeof rosterNodes>) => boolean,
  what: string,
) {
  return teacher.until(() => {
    const roster = teacher.parts.classroom.roster;
    const rows = roster ? rosterNodes(roster, new Date(), english) : undefined;
    return rows && check(rows) ? rows : undefined;
  }, what);
}

test('Enter Teacher Key keeps the key for host:port in secret storage only; Connect presents it, and the relay makes this VS Code a teacher, shown in the status bar and the panel', async () => {
  const { port, logs } = await teacherRelay();
  const keller = host({ settings: { traceWire: true } });
  keller.person.answer('server', local(port)).answer('secret', KEY).answer('name', 'Frau Keller');
  keller.person.reply(/^The teacher key for 127\.0\.0\.1:\d+ is kept/, 'Connect');
  await keller.parts.keys.enter();
  assert.deepEqual(
    keller.person.asked.map((asked) => asked.kind),
    ['server', 'secret', 'name'],
  );
  assert.deepEqual(keller.person.asked[1]?.args, [
    'Relay: Enter Teacher Key',
    `The teacher key for 127.0.0.1:${port}, as whoever runs the relay gave it to you. It is kept in VS Code's secret storage, never in the settings.`,
  ]);
  await keller.until(() => keller.parts.classroom.role === 'teacher', 'a teacher');
  assert.deepEqual([...keller.secrets.values], [[`${TEACHER_KEY_SECRET}127.0.0.1:${port}`, KEY]]);
  assert.equal(keller.parts.classroom.isTeacher, true);
  const view = keller.parts.lifecycle.view();
  const panelView = posted(keller, 'connection').at(-1)?.connection;
  assert.deepEqual(panelView, { ...view, role: 'teacher' }, 'the panel shows the role');
  const status = statusBarText(keller.parts.lifecycle.state, 0, english, {
    role: keller.parts.classroom.role,
    standing: keller.parts.classroom.standing,
    now: new Date(),
  });
  assert.equal(status.text, '$(mortar-board) Frau Keller (Teacher)');
  assert.equal(
    statusBarText(keller.parts.lifecycle.state, 0, german, { role: 'teacher', now: new Date() }).text,
    '$(mortar-board) Frau Keller (Lehrperson)',
  );
  assert.ok(keller.log.includes('info: The relay made you a teacher.'));
  assert.ok(
    keller.log.some((line) => line.includes('"type":"hello"')),
    'the wire was traced',
  );
  for (const [where, text] of [
    ['the log and the wire trace', keller.log.join('\n')],
    ['the storage', [...keller.storage.values.values()].join('\n')],
    ['the settings', JSON.stringify(keller.settings)],
    ["the relay's log", logs.join('\n')],
  ]) {
    assert.ok(!text!.includes(KEY), `the key is not in ${where}`);
  }
});

test('a refused teacher key is explained with Forget Teacher Key and Enter Again: entered again right, this VS Code is a teacher; forgotten, it connects as a student', async () => {
  const { port } = await teacherRelay();
  const wrong = 'kreide-tafel-schwamm-43';
  const again = host();
  await new TeacherKeys(again.secrets).store(local(port), wrong);
  again.person.answer('server', local(port)).answer('name', 'Frau Keller').answer('secret', KEY);
  again.person.reply(/did not accept the teacher key/, 'Enter Again');
  await again.parts.lifecycle.connect();
  const refused = again.person.shown.find((shown) => shown.level === 'error');
  assert.deepEqual(refused, {
    level: 'error',
    message: `The relay at 127.0.0.1:${port} did not accept the teacher key. Check the key with whoever runs the relay, or connect without it as a student.`,
    actions: ['Forget Teacher Key', 'Enter Again'],
  });
  await again.until(() => again.parts.classroom.role === 'teacher', 'a teacher after entering the key again');
  assert.equal(await new TeacherKeys(again.secrets).get(local(port)), KEY);

  const forgot = host();
  await new TeacherKeys(forgot.secrets).store(local(port), wrong);
  forgot.person.answer('server', local(port)).answer('name', 'Herr Gerber');
  forgot.person.reply(/did not accept the teacher key/, 'Forget Teacher Key');
  await forgot.parts.lifecycle.connect();
  await forgot.until(() => forgot.parts.classroom.role === 'student', 'a student');
  assert.deepEqual([...forgot.secrets.values], [], 'the key is forgotten');
  assert.ok(forgot.log.includes(`info: The teacher key for 127.0.0.1:${port} is forgotten.`));
  assert.ok(
    !forgot.log.join('\n').includes(wrong) && !again.log.join('\n').includes(wrong),
    'the wrong key is not logged either',
  );
});

test('in German, a refused key offers "Schlüssel vergessen" and "Neu eingeben"', async () => {
  const { port } = await teacherRelay();
  const dana = host({ t: german });
  await new TeacherKeys(dana.secrets).store(local(port), 'falscher-schluessel-1');
  dana.person.answer('server', local(port)).answer('name', 'Dana');
  await dana.parts.lifecycle.connect();
  assert.deepEqual(dana.person.shown.find((shown) => shown.level === 'error')?.actions, [
    'Schlüssel vergessen',
    'Neu eingeben',
  ]);
});

test('Forget Teacher Key forgets the key of the server in use; a teacher stays one until connecting again', async () => {
  const { port } = await teacherRelay();
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  await keller.parts.keys.forget();
  assert.deepEqual([...keller.secrets.values], []);
  assert.equal(
    keller.person.shown.at(-1)?.message,
    `The teacher key for 127.0.0.1:${port} is forgotten. You stay a teacher until you connect again.`,
  );
  await keller.parts.keys.forget();
  assert.equal(keller.person.shown.at(-1)?.message, `No teacher key is kept for 127.0.0.1:${port}.`);
});

test('Broadcast Hint with a selection sends a teacher\'s code as a snippet hint; students get it as a teacher\'s hint, announced "Hint from … (teacher)"; without a selection the hint is asked for', async () => {
  const { port } = await teacherRelay();
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.panel?.show(false);
  const bob = await framed(port, 'Bob');
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  keller.editors.current = GREET;
  const asked = keller.person.asked.length;
  await keller.until(() => keller.parts.session.online().length === 2 || undefined, 'Alice and Bob online');
  keller.person.reply(/^Send this hint to the class/, 'Send Hint');
  await keller.parts.send.broadcastHint();
  assert.equal(keller.person.asked.length, asked, 'a selection asks for nothing');
  assert.deepEqual(
    keller.person.shown.find((shown) => shown.level === 'confirm'),
    {
      level: 'confirm',
      message: 'Send this hint to the class (2 students online)?',
      detail: 'python code from greet.py, 2 lines:\ndef greet(name):\n    return f"Hallo {name}!"',
      actions: ['Send Hint'],
    },
  );
  const sent = await keller.until(
    () => keller.parts.session.items.find((item) => item.content.kind === 'snippet' && item.delivery === 'delivered'),
    'the snippet hint delivered',
  );
  assert.deepEqual([sent.conversation, sent.teacher], [EVERYONE, true]);
  const expected = {
    code: 'def greet(name):\n    return f"Hallo {name}!"',
    language: 'python',
    file: 'greet.py',
    lines: { start: 1, end: 2 },
  };
  const frame = await bob.next('broadcast');
  assert.deepEqual([frame.from, frame.teacher, frame.snippet], ['Frau Keller', true, expected]);
  const hint = await alice.until(
    () => alice.parts.session.items.find((item) => item.content.kind === 'snippet'),
    'the snippet hint at Alice',
  );
  assert.deepEqual(
    [hint.conversation, hint.from, hint.teacher, hint.earlier, hint.content],
    [EVERYONE, 'Frau Keller', true, undefined, { kind: 'snippet', snippet: expected }],
  );
  assert.deepEqual(alice.panel?.item(hint.id), hint, 'the panel has it');
  await alice.until(
    () => alice.person.shown.some((shown) => shown.message === 'Hint from Frau Keller (teacher): python code'),
    'the announcement',
  );

  keller.editors.current = { ...GREET, text: 'print(greet("Bob"))', empty: true };
  keller.person.answer('text', 'Tipp: greet() gibt den Gruss zurück.');
  keller.person.reply(/^Send this hint to the class/, 'Send Hint');
  await keller.parts.send.broadcastHint();
  assert.deepEqual(keller.person.asked.at(-1), {
    kind: 'text',
    args: ['Relay: Broadcast Hint', 'A hint for everyone in the class', 16384],
  });
  const text = await alice.item('Tipp: greet() gibt den Gruss zurück.');
  assert.equal(text.teacher, true);
});

test("a late joiner gets the hints of the lesson marked earlier and not announced; a reload does not double them; Clear Hints, confirmed, clears every panel's pinned hints", async () => {
  const { port, relay: server } = await teacherRelay();
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  keller.parts.session.broadcast('Tipp 1: Der Name kommt zuerst.');
  await keller.item('Tipp 1: Der Name kommt zuerst.', (item) => item.delivery === 'kept');
  const storage = new MemoryStorage();
  const bob = host({ storage });
  await bob.connect(port, 'Bob');
  bob.panel?.show(false);
  const earlier = await bob.item('Tipp 1: Der Name kommt zuerst.');
  assert.deepEqual(
    [earlier.conversation, earlier.from, earlier.teacher, earlier.earlier],
    [EVERYONE, 'Frau Keller', true, true],
  );
  await sleep(100);
  assert.deepEqual(
    bob.person.shown.filter((shown) => shown.level === 'info'),
    [],
    'an earlier hint is not announced',
  );
  bob.dispose();
  await eventually(
    () => !server.online.includes('Bob'),
    () => `Bob gone; online ${server.online.join(', ')}`,
  );
  const reloaded = host({ storage });
  await reloaded.connect(port, 'Bob');
  await sleep(200);
  assert.equal(
    reloaded.parts.session.items.filter(
      (item) => item.content.kind === 'text' && item.content.text === 'Tipp 1: Der Name kommt zuerst.',
    ).length,
    1,
    'once, after the reload too',
  );
  await keller.parts.lifecycle.connect({ again: true });
  await keller.until(
    () => keller.parts.lifecycle.state.kind === 'connected' && keller.parts.classroom.role === 'teacher',
    'the teacher back',
  );
  await sleep(200);
  assert.equal(keller.parts.session.items.length, 1, "the teacher's own hint is not handed back as someone else's");

  keller.person.reply(/^Clear the hints of this lesson for everyone\?/, 'Clear Hints');
  await keller.parts.classroom.clearHints();
  await reloaded.until(() => posted(reloaded, 'hintsCleared').length === 1, 'the panel told the hints are cleared');
  assert.ok(reloaded.log.includes('info: Frau Keller cleared the hints of the lesson.'));
  assert.deepEqual(keller.person.shown.at(-1), {
    level: 'flash',
    message: 'The hints of the lesson are cleared for everyone.',
    actions: [],
  });
  const carol = host();
  await carol.connect(port, 'Carol');
  await sleep(200);
  assert.deepEqual(carol.parts.session.items, [], 'who joins now gets no hints');
});

test("Clear Hints declined clears nothing; a student's Clear Hints and moderation are explained, not sent", async () => {
  const { port } = await teacherRelay();
  const keller = await framed(port, 'Frau Keller', KEY);
  keller.send({ type: 'broadcast', id: 'h1', text: 'Tipp' });
  await keller.next('ack');
  const alice = host();
  await alice.connect(port, 'Alice');
  await alice.item('Tipp');
  await alice.parts.classroom.clearHints();
  await alice.parts.classroom.unmute('Bob');
  assert.deepEqual(
    alice.person.shown.filter((shown) => shown.level === 'warning').map((shown) => shown.message),
    [
      'Only teachers can clear the hints of the lesson.',
      'Only teachers can mute, unmute or disconnect students or lower their hands.',
    ],
  );
  const teacher = host();
  await teacher.connectAsTeacher(port, 'Herr Gerber', KEY);
  await teacher.parts.classroom.clearHints();
  assert.equal(teacher.person.shown.at(-1)?.level, 'warning', 'asked first, and declined');
  const carol = host();
  await carol.connect(port, 'Carol');
  await carol.item('Tipp');
});

test("Raise Hand with a question: the panel and the status bar show the hand, the teacher's roster lists it first; Lower Hand takes it down; the panel's own button raises it without asking", async () => {
  const { port } = await teacherRelay();
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  await framed(port, 'Aaron');
  const mia = host();
  await mia.connect(port, 'Mia');
  mia.person.answer('optionalText', 'Warum kommt nur ein Teil an?');
  await mia.parts.classroom.raiseHand();
  assert.deepEqual(mia.person.asked.at(-1), {
    kind: 'optionalText',
    args: ['Relay: Raise Hand', 'Your question for the teacher (optional): press Enter to raise your hand.', 1024],
  });
  const standing = await mia.until(
    () => posted(mia, 'standing').find((post) => post.hand),
    'the standing in the panel',
  );
  assert.equal(standing.hand?.question, 'Warum kommt nur ein Teil an?');
  const since = dayAndTimeForLine(standing.hand.at, new Date());
  const status = statusBarText(mia.parts.lifecycle.state, 0, english, {
    role: mia.parts.classroom.role,
    standing: mia.parts.classroom.standing,
    now: new Date(),
  });
  assert.match(
    status.tooltip,
    new RegExp(`^Relay: connected as Mia\\nYour hand is up \\(since ${since}\\): Warum kommt nur ein Teil an\\?\\n`),
  );
  const rows = await rosterRows(keller, (candidate) => candidate[0]?.hand === true, "Mia's hand first");
  assert.deepEqual(
    rows.map((row) => [row.label, row.icon, row.contextValue]),
    [
      ['Mia', 'question', 'student hand speaking'],
      ['Aaron', 'person', 'student speaking'],
    ],
  );
  assert.match(
    rows[0]!.description,
    new RegExp(`^hand up ${since}: Warum kommt nur ein Teil an\\? · 0 sent, 0 received · Classroom Relay client$`),
  );

  await mia.parts.classroom.lowerHand();
  await mia.until(() => !mia.parts.classroom.standing.hand, 'the hand down');
  await rosterRows(keller, (candidate) => candidate.every((row) => !row.hand), 'no hand in the roster');
  assert.ok(
    !mia.person.shown.some((shown) => shown.message.startsWith('Your hand was lowered')),
    'lowered by Mia herself: nothing to tell her',
  );

  const asked = mia.person.asked.length;
  mia.panel!.events.message({ type: 'raiseHand', up: true });
  await mia.until(() => mia.parts.classroom.standing.hand, 'the hand up from the panel');
  assert.equal(mia.person.asked.length, asked, 'the panel asked itself');
  await keller.parts.classroom.lowerHandOf('Mia');
  await mia.until(
    () =>
      mia.person.shown.find((shown) => shown.message === 'Your hand was lowered: your teacher answered or lowered it.'),
    'Mia told',
  );
  assert.deepEqual(keller.person.shown.at(-1), { level: 'flash', message: 'The hand of Mia is lowered.', actions: [] });
});

test('the roster lists framed and course clients with dialect, address, since and the messages each sent and received, updated live', async () => {
  const { port } = await teacherRelay();
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  const alice = await framed(port, 'Alice');
  const carol = await coursePeer(port, 'Carol', true);
  peers.push(carol);
  alice.send({ type: 'send', id: 'a1', to: 'Carol', text: 'Hallo Carol' });
  alice.send({ type: 'send', id: 'a2', to: 'Carol', text: 'Bist du da?' });
  await carol.waitFor('Alice: Bist du da?');
  carol.write('Alice:Ja!\n');
  const rows = await rosterRows(
    keller,
    (candidate) =>
      candidate.length === 2 &&
      candidate[0]?.description.startsWith('2 sent, 1 received') === true &&
      candidate[1]?.description.startsWith('1 sent, 2 received') === true,
    'the counts',
  );
  assert.deepEqual(
    rows.map((row) => [row.label, row.description]),
    [
      ['Alice', '2 sent, 1 received · Classroom Relay client'],
      ['Carol', '1 sent, 2 received · course client'],
    ],
  );
  const entry = keller.parts.classroom.roster!.entries.find((candidate) => candidate.name === 'Carol')!;
  assert.equal(
    rows[1]!.tooltip,
    [
      'Carol',
      `course client at ${entry.address}`,
      `Connected since ${dayAndTimeForLine(entry.since, new Date())}`,
      '1 messages sent, 2 received',
    ].join('\n'),
  );
  assert.match(entry.address, /^127\.0\.0\.1:\d+$/);
  carol.close();
  await rosterRows(keller, (candidate) => candidate.length === 1, 'Carol gone from the roster');
});

test('Mute offers 5, 10 and 30 minutes and until unmuted; the student sees until when, and what it sends a classmate is refused saying so while the teacher still hears it; Unmute lets it write again', async () => {
  const { port } = await teacherRelay();
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  await framed(port, 'Jonas');
  const mia = host();
  await mia.connect(port, 'Mia');
  keller.person.answer('choose', '10');
  await keller.parts.classroom.mute('Mia');
  const [choices, title, placeholder] = keller.person.asked.at(-1)!.args as [
    Array<{ id: string; label: string }>,
    string,
    string,
  ];
  assert.deepEqual(
    choices.map((choice) => [choice.id, choice.label]),
    [
      ['5', '5 minutes'],
      ['10', '10 minutes'],
      ['30', '30 minutes'],
      ['until-unmuted', 'Until I unmute them'],
    ],
  );
  assert.equal(MUTE_CHOICES.length, 4);
  assert.deepEqual(
    [title, placeholder],
    ['Mute Mia', 'For how long? Their messages are refused with a reason they see.'],
  );
  assert.deepEqual(keller.person.shown.at(-1), {
    level: 'flash',
    message: 'Mia is muted for 10 minutes.',
    actions: [],
  });
  const muted = await mia.until(() => mia.parts.classroom.standing.muted, 'Mia muted');
  const until = dayAndTimeForLine(muted.until!, new Date());
  await mia.until(
    () =>
      mia.person.shown.find(
        (shown) =>
          shown.level === 'warning' &&
          shown.message === `Your teacher muted you until ${until}: your messages are refused until then.`,
      ),
    'Mia told until when',
  );
  assert.ok(
    posted(mia, 'standing').some((post) => post.muted?.until === muted.until),
    'the panel shows it',
  );
  const status = statusBarText(mia.parts.lifecycle.state, 0, english, {
    role: 'student',
    standing: mia.parts.classroom.standing,
    now: new Date(),
  });
  assert.equal(status.warning, true);
  assert.equal(status.text, '$(mute) Mia');
  mia.parts.session.sendText('Jonas', 'Schau mal hier');
  const refused = await mia.item('Schau mal hier', (item) => item.delivery === 'failed');
  assert.equal(refused.failure, `Not sent: your teacher muted you until ${until}.`);
  mia.parts.session.sendText('Frau Keller', 'Darf ich etwas fragen?');
  await mia.item('Darf ich etwas fragen?', (item) => item.delivery === 'delivered');
  const rows = await rosterRows(
    keller,
    (candidate) => candidate.some((row) => row.name === 'Mia' && row.muted && row.description.includes(' 1 sent')),
    'Mia muted in the roster, with her message to the teacher counted',
  );
  const row = rows.find((candidate) => candidate.name === 'Mia')!;
  assert.deepEqual(
    [row.icon, row.contextValue, row.description],
    ['mute', 'student muted', `muted until ${until} · 1 sent, 0 received · Classroom Relay client`],
  );

  await keller.parts.classroom.unmute('Mia');
  await mia.until(
    () => mia.person.shown.find((shown) => shown.message === 'Your teacher unmuted you: you can write again.'),
    'Mia told she may write',
  );
  assert.equal(mia.parts.classroom.standing.muted, undefined);
  mia.parts.session.sendText('Frau Keller', 'Danke!');
  await mia.item('Danke!', (item) => item.delivery === 'delivered');
  keller.person.answer('choose', 'until-unmuted');
  await keller.parts.classroom.mute('Mia');
  await mia.until(
    () =>
      mia.person.shown.find(
        (shown) => shown.message === 'Your teacher muted you: your messages are refused until you are unmuted.',
      ),
    'muted until unmuted',
  );
  keller.person.answer('choose', undefined);
  const shownBefore = keller.person.shown.length;
  await keller.parts.classroom.mute('Mia');
  assert.equal(keller.person.shown.length, shownBefore, 'cancelled: nothing done');
});

test('Disconnect asks for the reason; the student is told it, is not reconnected, and leaves the roster; a name no longer there is said so', async () => {
  const { port } = await teacherRelay();
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  const tim = host();
  await tim.connect(port, 'Tim');
  await rosterRows(keller, (rows) => rows.length === 1, 'Tim in the roster');
  keller.person.answer('text', 'Bitte mach eine Pause.');
  await keller.parts.classroom.disconnect('Tim');
  assert.deepEqual(keller.person.asked.at(-1), {
    kind: 'text',
    args: ['Disconnect Tim', 'The reason, shown to Tim', 512],
  });
  await tim.until(() => tim.parts.lifecycle.state.kind === 'failed', 'Tim disconnected');
  const told = await tim.until(() => tim.person.shown.find((shown) => shown.level === 'warning'), 'Tim told');
  assert.deepEqual(told, {
    level: 'warning',
    message: `Your teacher disconnected you from 127.0.0.1:${port}: Bitte mach eine Pause.`,
    actions: ['Connect Again'],
  });
  await rosterRows(keller, (rows) => rows.length === 0, 'Tim gone from the roster');
  await sleep(300);
  assert.equal(tim.parts.lifecycle.state.kind, 'failed', 'not reconnected by itself');
  keller.person.answer('text', 'Nochmals');
  await keller.parts.classroom.disconnect('Tim');
  assert.deepEqual(keller.person.shown.at(-1), {
    level: 'warning',
    message: 'Tim is no longer connected.',
    actions: [],
  });
});

test('Message This Student opens the chat on the conversation with that student, listed under the name as written', async () => {
  const { port } = await teacherRelay();
  const keller = host();
  await keller.connectAsTeacher(port, 'Frau Keller', KEY);
  keller.parts.classroom.message('Mia Müller');
  assert.deepEqual(posted(keller, 'focus').at(-1), { type: 'focus', conversation: 'mia müller' });
  const listed = await keller.until(
    () =>
      posted(keller, 'conversations')
        .at(-1)
        ?.conversations.find((view) => view.id === 'mia müller'),
    'the conversation listed',
  );
  assert.equal(listed.label, 'Mia Müller', 'the To field and the list show her name as written, not its key');
});

test('a course server has no raised hands: Raise Hand says so and sends nothing', async () => {
  const { port } = await relay();
  const alice = host({ settings: { dialect: 'course' } });
  await alice.connect(port, 'Alice');
  assert.equal(alice.parts.classroom.role, undefined, 'no role on a course server');
  await alice.parts.classroom.raiseHand();
  assert.deepEqual(alice.person.shown.at(-1), {
    level: 'warning',
    message:
      'This is a course server: it has no teachers, raised hands or hints to everyone. They need the Classroom Relay.',
    actions: [],
  });
  assert.deepEqual(
    alice.person.asked.filter((asked) => asked.kind === 'optionalText'),
    [],
  );
});

test('Reconnect now in the panel ends the wait before the next attempt', async () => {
  const first = await relay();
  const alice = host({ connectionOptions: { backoff: { initialMs: 60_000, maxMs: 60_000 } } });
  await alice.connect(first.port, 'Alice');
  // Out of view, the wait is the connection's own minute, not the 5 s of a chat in view.
  alice.panel!.show(false);
  await first.close();
  await alice.until(() => {
    const state = alice.parts.lifecycle.state;
    return state.kind === 'waiting' && state.retryInMs >= 30_000;
  }, 'waiting a minute to reconnect');
  await relay({ port: first.port });
  alice.panel!.events.message({ type: 'reconnectNow' });
  await alice.until(() => alice.parts.lifecycle.state.kind === 'connected', 'connected again at once', 5000);
});

test('the panel gets the last items of each conversation and asks for older ones, which come in pages until none are left', async () => {
  const { port } = await relay();
  const storage = new MemoryStorage();
  // A history longer than a panel keeps of one conversation, as an earlier session left it.
  const earlier = new ChatModel(1000, 'Everyone');
  const total = PANEL_KEEP + 30;
  for (let index = 0; index < total; index++)
    earlier.receive({
      kind: 'message',
      from: 'Bob',
      text: `#${index}`,
      at: new Date(Date.UTC(2026, 0, 1, 8, 0, index)).toISOString(),
    });
  earlier.receive({ kind: 'message', from: 'Carol', text: 'Hallo', at: new Date().toISOString() });
  await storage.update(historyKey(local(port), 'Alice'), earlier.toJSON());
  const alice = host({ storage, settings: { historySize: 1000 } });
  await alice.connect(port, 'Alice');
  const panel = alice.panel!;
  panel.events.message({ type: 'ready' });
  const init = posted(alice, 'init').at(-1)!;
  const shown = init.snapshot.items.filter((item) => item.conversation === 'bob');
  assert.equal(shown.length, PANEL_KEEP);
  assert.deepEqual(init.snapshot.older, ['bob']);
  assert.equal(shown[0]!.content.kind === 'text' && shown[0]!.content.text, '#30');
  assert.equal(init.snapshot.items.filter((item) => item.conversation === 'carol').length, 1);
  panel.events.message({ type: 'loadOlder', conversation: 'bob', before: shown[0]!.id, count: 20 });
  const page = posted(alice, 'older').at(-1)!;
  assert.deepEqual(
    [
      page.conversation,
      page.before,
      page.more,
      page.items.map((item) => item.content.kind === 'text' && item.content.text),
    ],
    ['bob', shown[0]!.id, true, Array.from({ length: 20 }, (_, index) => `#${index + 10}`)],
  );
  panel.events.message({ type: 'loadOlder', conversation: 'bob', before: page.items[0]!.id, count: 20 });
  const last = posted(alice, 'older').at(-1)!;
  assert.deepEqual(
    [last.more, last.items.map((item) => item.content.kind === 'text' && item.content.text)],
    [false, Array.from({ length: 10 }, (_, index) => `#${index}`)],
  );
  panel.events.message({ type: 'loadOlder', conversation: 'bob', before: 'no-such-item', count: 20 });
  assert.deepEqual(posted(alice, 'older').at(-1), {
    type: 'older',
    conversation: 'bob',
    before: 'no-such-item',
    items: [],
    more: false,
  });
});

test('no network text becomes a link in a notification: a message offering [Open](command:…) is shown as written', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.panel?.show(false);
  bob.send({
    type: 'send',
    id: 'b1',
    to: 'Alice',
    text: 'Klick [hier](command:workbench.action.openSettings) oder [da](https://example.org)',
  });
  await alice.item('Klick [hier](command:workbench.action.openSettings) oder [da](https://example.org)', undefined);
  const shown = await alice.until(
    () => alice.person.shown.find((candidate) => candidate.level === 'info'),
    'the announcement',
  );
  assert.equal(
    shown.message,
    'Bob: Klick [hier] (command:workbench.action.openSettings) oder [da] (https://example.org)',
  );
  assert.doesNotMatch(shown.message, /\]\(/);
});

test("the hosted classroom's key is made once and kept in secret storage", async () => {
  const secrets = new MemorySecrets();
  const first = await new TeacherKeys(secrets).hostedKey();
  assert.match(first, /^[2-9a-hjkmnp-z]{4}(-[2-9a-hjkmnp-z]{4}){3}$/);
  assert.equal(await new TeacherKeys(secrets).hostedKey(), first);
  assert.deepEqual([...secrets.values.keys()], [HOSTED_KEY_SECRET]);
});
