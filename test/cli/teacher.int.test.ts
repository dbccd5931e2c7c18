/**
 * Teacher mode on the command line: the key `serve` makes or takes, `send --all`, the teacher
 * key of `send` and `chat`, the classroom commands of `chat`, and `roster`. Real processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, FramedPeer, sleep } from '../helpers/relay/peers';
import { CLI, courseServer, runCli, start, type Child } from '../helpers/process/processes';
import { KEY_ALPHABET, makeTeacherKey } from '../../src/server/classroom/teacherKey';
import { parseClassCommand } from '../../src/cli/chat';
import { openSession } from '../../src/client/connect';

const relay = relaysForThisFile();
const KEY = 'kreide-tafel-schwamm-42';
const teacherRelay = () => relay({ teacherKey: KEY, rosterMs: 50 });
/** Every line the relay logs starts with its time. */
const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ /;
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** The CLI with its own environment, to the end. */
async function runCliWith(
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(process.execPath, [CLI, ...args], { env });
  child.process.stdin.end();
  const { code } = await child.exited;
  return { code, stdout: child.stdout, stderr: child.stderr };
}

async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: Child; port: number }> {
  const child = start(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { RELAY_TEACHER_KEY: '', ...env },
  });
  await child.waitFor('Stop with Ctrl+C.');
  return { child, port: Number(/listening on port (\d+)/.exec(child.stdout)![1]) };
}

async function stopServe(child: Child): Promise<void> {
  child.process.kill('SIGTERM');
  assert.deepEqual(await child.exited, { code: 0, signal: null }, `stdout: ${child.stdout}\nstderr: ${child.stderr}`);
}

test('a made teacher key is four groups of four letters and digits without look-alikes, and unbiased by construction', () => {
  const keys = Array.from({ length: 200 }, () => makeTeacherKey());
  for (const key of keys) assert.match(key, /^[2-9a-hjkmnp-z]{4}(-[2-9a-hjkmnp-z]{4}){3}$/);
  assert.equal(new Set(keys).size, keys.length);
  assert.doesNotMatch(KEY_ALPHABET, /[01ilo]/);
  // Bytes at or above 248 (31 × 8) would favour the first letters: they are skipped, not folded.
  const bytes = [255, 248, ...Array.from({ length: 40 }, (_, i) => i)];
  const key = makeTeacherKey((size) => Buffer.from(bytes.splice(0, size)));
  assert.equal(key, '2345-6789-abcd-efgh');
});

test('serve prints the key it made once, among the startup lines; a client with it is a teacher; no log line ever holds it', async () => {
  const { child, port } = await startServe([]);
  const match =
    /^Teacher key, for teachers only: whoever connects with it is a teacher, .*:\n {2}(\S+)\nStop with Ctrl\+C\.$/m.exec(
      child.stdout,
    );
  assert.ok(match, child.stdout);
  const key = match[1]!;
  assert.match(key, /^[2-9a-hjkmnp-z]{4}(-[2-9a-hjkmnp-z]{4}){3}$/);

  const keller = await FramedPeer.connect(port);
  keller.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Frau Keller', teacherKey: key });
  assert.equal((await keller.next('welcome')).role, 'teacher');
  const mia = await FramedPeer.connect(port, 'Mia');
  const hint = await runCli([
    'send',
    '-s',
    `127.0.0.1:${port}`,
    '-n',
    'Herr Gerber',
    '--teacher-key',
    key,
    '--all',
    'Tipp: zuerst bind(), dann listen()',
  ]);
  assert.equal(hint.code, 0, hint.stderr);
  assert.equal((await mia.next('broadcast')).teacher, true);
  const wrong = await runCli([
    'send',
    '-s',
    `127.0.0.1:${port}`,
    '-n',
    'Tim',
    '--teacher-key',
    `${key}x`,
    '-t',
    'Mia',
    'hi',
  ]);
  assert.equal(wrong.code, 4);
  await child.waitFor(/refused .* name "Tim": wrong teacher key/);
  await stopServe(child);

  const lines = child.stdout.split('\n');
  assert.ok(lines.filter((line) => LOG_LINE.test(line)).length >= 6, child.stdout);
  assert.deepEqual(
    lines.filter((line) => LOG_LINE.test(line) && line.includes(key.slice(0, 9))),
    [],
  );
  assert.equal(occurrences(child.stdout, key), 1);
  assert.equal(child.stderr.includes(key), false);

  const again = await startServe([]);
  assert.ok(!again.child.stdout.includes(key), 'every start makes a new key');
  await stopServe(again.child);
});

test('serve takes the key from --teacher-key or RELAY_TEACHER_KEY, says that one is set, and never prints it', async () => {
  const fromFlag = await startServe(['--teacher-key', 'kreide-tafel-4321'], { RELAY_TEACHER_KEY: 'kreide-tafel-env' });
  assert.match(
    fromFlag.child.stdout,
    /^A teacher key is set \(from --teacher-key\): whoever connects with it is a teacher\.$/m,
  );
  const flagTeacher = await FramedPeer.connect(fromFlag.port);
  flagTeacher.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Frau Keller',
    teacherKey: 'kreide-tafel-4321',
  });
  assert.equal((await flagTeacher.next('welcome')).role, 'teacher');
  const envLoses = await FramedPeer.connect(fromFlag.port);
  envLoses.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Tim',
    teacherKey: 'kreide-tafel-env',
  });
  assert.equal((await envLoses.next('error')).code, 'teacher-key-invalid', 'the flag wins over the environment');
  await stopServe(fromFlag.child);
  assert.equal(fromFlag.child.stdout.includes('kreide-tafel'), false, fromFlag.child.stdout);

  const fromEnv = await startServe([], { RELAY_TEACHER_KEY: 'kreide-tafel-env' });
  assert.match(fromEnv.child.stdout, /^A teacher key is set \(from RELAY_TEACHER_KEY\)/m);
  const envTeacher = await FramedPeer.connect(fromEnv.port);
  envTeacher.send({
    type: 'hello',
    protocol: 'classroom-relay',
    versions: [1],
    name: 'Frau Keller',
    teacherKey: 'kreide-tafel-env',
  });
  assert.equal((await envTeacher.next('welcome')).role, 'teacher');
  await stopServe(fromEnv.child);
  assert.equal(fromEnv.child.stdout.includes('kreide-tafel'), false, fromEnv.child.stdout);
});

test('a teacher key shorter than 16 characters is a usage error that does not repeat the key, also a human key of 12', async () => {
  const short = await runCliWith({ RELAY_TEACHER_KEY: '' }, ['serve', '--port', '0', '--teacher-key', 'geheim42']);
  assert.equal(short.code, 2);
  assert.match(
    short.stderr,
    /^classroom-relay: the teacher key in --teacher-key has 8 characters; a teacher key needs at least 16/,
  );
  assert.equal(short.stderr.includes('geheim42'), false);
  const human = await runCliWith({ RELAY_TEACHER_KEY: '' }, ['serve', '--port', '0', '--teacher-key', 'kreide-tafel']);
  assert.equal(human.code, 2);
  assert.match(human.stderr, /has 12 characters; a teacher key needs at least 16/);
  const shortEnv = await runCliWith({ RELAY_TEACHER_KEY: 'geheim42' }, ['serve', '--port', '0']);
  assert.equal(shortEnv.code, 2);
  assert.match(shortEnv.stderr, /the teacher key in the environment variable RELAY_TEACHER_KEY has 8 characters/);
  const help = await runCli(['serve', '--help']);
  assert.match(help.stdout, /--teacher-key KEY\n +the teacher key \(at least 16 characters\)/);
  assert.match(help.stdout, /RELAY_TEACHER_KEY +the teacher key, when --teacher-key is not given/);
});

test("send --all as a teacher reaches framed and course clients and exits 0; a student's is rejected with exit 6", async () => {
  const { port } = await teacherRelay();
  const mia = await FramedPeer.connect(port, 'Mia');
  const carol = await coursePeer(port, 'Carol', true);
  const server = `127.0.0.1:${port}`;
  const teacher = await runCli([
    'send',
    '-s',
    server,
    '-n',
    'Frau Keller',
    '--teacher-key',
    KEY,
    '--all',
    'Tipp:',
    'recv()',
    'liefert',
    'Bytes',
  ]);
  assert.deepEqual(
    [teacher.code, teacher.stdout],
    [0, 'delivered to everyone: 2 peer(s) now; the relay keeps the hint for those who join later\n'],
  );
  const hint = await mia.next('broadcast');
  assert.deepEqual(
    { from: hint.from, text: hint.text, teacher: hint.teacher },
    { from: 'Frau Keller', text: 'Tipp: recv() liefert Bytes', teacher: true },
  );
  await carol.waitFor('Frau Keller (Lehrperson, an alle): Tipp: recv() liefert Bytes\n');

  const fromEnv = await runCliWith({ RELAY_TEACHER_KEY: KEY }, [
    'send',
    '-s',
    server,
    '-n',
    'Herr Gerber',
    '-a',
    'Zweiter Tipp',
  ]);
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.equal((await mia.next('broadcast')).text, 'Zweiter Tipp');

  const student = await runCliWith({ RELAY_TEACHER_KEY: '' }, [
    'send',
    '-s',
    server,
    '-n',
    'Tim',
    '--all',
    'Die Lösung ist 42',
  ]);
  assert.deepEqual(
    [student.code, student.stderr],
    [6, 'classroom-relay: rejected (not-allowed): only teachers can send to everyone\n'],
  );
  await sleep(50);
  assert.equal(carol.text.includes('Die Lösung'), false);

  const both = await runCli(['send', '-s', server, '-n', 'Tim', '--all', '--to', 'Mia', 'x']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--to PEER and --all exclude each other/);
  const neither = await runCli(['send', '-s', server, '-n', 'Tim', 'x']);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /--to PEER or --all is required/);
  assert.match((await runCli(['send', '--help'])).stdout, /-a, --all +send TEXT to everyone as a teacher's hint/);
});

test("a wrong teacher key exits 4 with the relay's reason and where the key came from, never the key", async () => {
  const { port } = await teacherRelay();
  await FramedPeer.connect(port, 'Mia');
  const server = `127.0.0.1:${port}`;
  const flag = await runCli([
    'send',
    '-s',
    server,
    '-n',
    'Tim',
    '--teacher-key',
    'falscher-schluessel',
    '-t',
    'Mia',
    'hi',
  ]);
  assert.equal(flag.code, 4);
  assert.equal(
    flag.stderr,
    `classroom-relay: the teacher key is not right; ask whoever runs the relay for it, or connect without it as a student (${server})\n` +
      'The key came from --teacher-key. Teachers get the key from whoever runs the relay: "classroom-relay serve" prints it when it starts. Without a key you connect as a student.\n',
  );
  const env = await runCliWith({ RELAY_TEACHER_KEY: 'falscher-schluessel' }, ['chat', '-s', server, '-n', 'Tim']);
  assert.equal(env.code, 4);
  assert.match(env.stderr, /The key came from RELAY_TEACHER_KEY\./);
  const roster = await runCli(['roster', '-s', server, '--teacher-key', 'falscher-schluessel']);
  assert.equal(roster.code, 4);
  for (const result of [flag, env, roster])
    assert.equal(`${result.stdout}${result.stderr}`.includes('falscher'), false);

  const { port: noTeachers } = await relay();
  const none = await runCli([
    'send',
    '-s',
    `127.0.0.1:${noTeachers}`,
    '-n',
    'Tim',
    '--teacher-key',
    KEY,
    '--all',
    'hi',
  ]);
  assert.equal(none.code, 4);
  assert.match(none.stderr, /this relay has no teachers; connect without a teacher key/);
});

test('roster prints every student with the counts of the traffic, raised hands first, the totals, and exits 0', async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const anna = await FramedPeer.connect(port, 'Anna');
  const mia = await FramedPeer.connect(port, 'Mia');
  const zoe = await FramedPeer.connect(port, 'Zoe');
  const carl = await coursePeer(port, 'Carl', true);
  mia.send({ type: 'send', id: 'm1', to: 'Carl', text: 'eins' });
  mia.send({ type: 'send', id: 'm2', to: 'Carl', text: 'zwei' });
  await carl.waitFor('Mia: zwei\n');
  carl.write('Mia:drei\n');
  assert.equal((await mia.next('message')).text, 'drei');
  keller.send({ type: 'send', id: 'k1', to: 'Anna', text: 'vier' });
  await anna.next('message');
  keller.send({ type: 'broadcast', id: 'k2', text: 'Tipp' });
  assert.equal((await keller.next('ack', (ack) => ack.id === 'k2')).recipients, 4);
  zoe.send({ type: 'hand', id: 'h1', up: true, question: 'Warum blockiert recv()?' });
  await zoe.next('self', (frame) => frame.hand !== undefined);
  await sleep(20);
  carl.write('!hand Wie starte ich den Server, wenn der Port schon belegt ist und nichts mehr geht?\n');
  await carl.waitFor('Deine Hand ist oben');
  keller.send({ type: 'moderate', id: 'x1', action: 'mute', name: 'Mia', minutes: 10 });
  assert.equal((await keller.next('ack', (ack) => ack.id === 'x1')).status, 'delivered');

  const result = await runCli(['roster', '--server', `127.0.0.1:${port}`, '--teacher-key', KEY]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  const cell = '\\d\\d:\\d\\d';
  const address = '127\\.0\\.0\\.1:\\d+';
  assert.equal(lines.length, 6, result.stdout);
  assert.match(lines[0]!, /^name +dialect +address +since +sent +received +muted +hand$/);
  assert.match(lines[1]!, new RegExp(`^Zoe +relay +${address} +${cell} +0 +1 +${cell} Warum blockiert recv\\(\\)\\?$`));
  assert.match(
    lines[2]!,
    new RegExp(`^Carl +course +${address} +${cell} +1 +3 +${cell} Wie starte ich den Server, wenn der Por…$`),
  );
  assert.match(lines[3]!, new RegExp(`^Anna +relay +${address} +${cell} +0 +2$`));
  assert.match(lines[4]!, new RegExp(`^Mia +relay +${address} +${cell} +2 +2 +until ${cell}$`));
  assert.equal(lines[5], '4 students connected, 2 raised hands, 1 muted.');
  // Columns line up: each row's "sent" ends where the header's does.
  const sentEnd = lines[0]!.indexOf('sent') + 4;
  for (const line of lines.slice(1, 5)) assert.match(line.slice(sentEnd - 1, sentEnd), /\d/, line);
  assert.equal(result.stdout.includes('Frau Keller'), false, 'teachers are not listed');

  const named = await runCli(['roster', '-s', `127.0.0.1:${port}`, '--teacher-key', KEY, '--name', 'Liste Keller']);
  assert.equal(named.code, 0, named.stderr);
  assert.equal(named.stdout.includes('Liste Keller'), false);
  assert.match(
    (await runCli(['roster', '-s', `127.0.0.1:${port}`])).stderr,
    /--teacher-key KEY \(or RELAY_TEACHER_KEY\) is required/,
  );
});

test('roster of an empty class says so; roster --help names the exit codes', async () => {
  const { port } = await teacherRelay();
  const result = await runCli(['roster', '-s', `127.0.0.1:${port}`, '--teacher-key', KEY]);
  assert.deepEqual([result.code, result.stdout], [0, 'No students are connected.\n']);
  const help = await runCli(['roster', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: classroom-relay roster --server HOST:PORT\[\/CODE\] --teacher-key KEY/);
  assert.match(help.stdout, /6 {2}no roster there: a course server/);
  assert.match((await runCli(['--help'])).stdout, /roster {2}print the class roster once/);
});

test('roster against the course server exits 6: it has no roster', async () => {
  const { port } = await courseServer('course_server.py');
  const result = await runCli(['roster', '-s', `127.0.0.1:${port}`, '--teacher-key', KEY]);
  assert.equal(result.code, 6);
  assert.equal(
    result.stderr,
    `classroom-relay: 127.0.0.1:${port} is a course server: it has no teachers and no roster. The roster needs the Classroom Relay ("classroom-relay serve").\n`,
  );
});

test('chat as a teacher: /all sends a hint, /mute mutes, /roster prints the class, raised hands are announced', async () => {
  const { port } = await teacherRelay();
  const mia = await FramedPeer.connect(port, 'Mia');
  const carl = await coursePeer(port, 'Carl', true);
  const chat = start(process.execPath, [
    CLI,
    'chat',
    '-s',
    `127.0.0.1:${port}`,
    '-n',
    'Frau Keller',
    '--teacher-key',
    KEY,
  ]);
  await chat.waitFor(/as "Frau Keller" \(relay, teacher\)\. Online: Carl, Mia\./);
  chat.write('/all Tipp: sendall() statt send()\n');
  const hint = await mia.next('broadcast');
  assert.deepEqual([hint.text, hint.teacher], ['Tipp: sendall() statt send()', true]);
  await carl.waitFor('Frau Keller (Lehrperson, an alle): Tipp: sendall() statt send()\n');
  await chat.waitFor('! hint sent to everyone: 2 peer(s) now, and to those who join later');
  chat.write('/mute Mia 10\n');
  await chat.waitFor('! Mia is muted for 10 minute(s)');
  await mia.next('self', (frame) => frame.muted?.until !== undefined);
  carl.write('!hand Wie geht das?\n');
  await chat.waitFor(/! Carl raised a hand at \d\d:\d\d Wie geht das\?/);
  chat.write('/roster\n');
  await chat.waitFor(
    /name +dialect +address +since +sent +received +muted +hand\nCarl +course .* \d\d:\d\d Wie geht das\?\nMia +relay .* until \d\d:\d\d\n2 students connected, 1 raised hand, 1 muted\./,
  );
  chat.write('/kick "Niemand da" Pause\n');
  await chat.waitFor('! Niemand da: unknown peer "Niemand da"');
  chat.write('/mute Mia viele\n');
  await chat.waitFor('! MINUTES must be a number from 1 to 1440, not "viele"');
  chat.write('/lower Carl\n');
  await carl.waitFor('Deine Hand ist unten.\n');
  chat.write('/kick Mia Bitte jetzt zuhören.\n');
  assert.equal((await mia.next('error')).message, 'Bitte jetzt zuhören.');
  await chat.waitFor('! Mia was disconnected');
  chat.process.stdin.end();
  assert.equal((await chat.exited).code, 0);
});

test("chat as a student: /hand shows the hand up, teachers' messages and hints carry the badge, earlier hints are marked, /all is refused", async () => {
  const { port } = await teacherRelay();
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  keller.send({ type: 'broadcast', id: 'h0', text: 'Vor der Stunde: Python 3 installieren' });
  await keller.next('ack');
  const chat = start(process.execPath, [CLI, 'chat', '-s', `127.0.0.1:${port}`, '-n', 'Mia'], {
    env: { RELAY_TEACHER_KEY: '' },
  });
  await chat.waitFor(/as "Mia" \(relay\)\. Online: Frau Keller\./);
  await chat.waitFor(
    /\[\d\d:\d\d\] Frau Keller \[teacher, to everyone, earlier hint\]: Vor der Stunde: Python 3 installieren/,
  );
  chat.write('/hand Warum blockiert recv()?\n');
  await chat.waitFor('! your hand is up: Warum blockiert recv()? (the teacher sees it; /hand down lowers it)');
  await keller.next('roster', (frame) =>
    frame.entries.some((entry) => entry.name === 'Mia' && entry.hand?.question === 'Warum blockiert recv()?'),
  );
  keller.send({ type: 'broadcast', id: 'h1', text: 'Tipp: \u001b[2J recv() wartet' });
  await chat.waitFor(/\[\d\d:\d\d\] Frau Keller \[teacher, to everyone\]: Tipp: \\e\[2J recv\(\) wartet/);
  keller.send({ type: 'send', id: 'k1', to: 'Mia', text: 'Weil es auf Daten wartet.' });
  await chat.waitFor(/\[\d\d:\d\d\] Frau Keller \[teacher\]: Weil es auf Daten wartet\./);
  await chat.waitFor('! your hand is down');
  chat.write('/all Die Lösung ist 42\n');
  await chat.waitFor('! everyone: rejected (not-allowed): only teachers can send to everyone');
  chat.write('/roster\n');
  await chat.waitFor('! only teachers see the roster');
  keller.send({ type: 'moderate', id: 'x1', action: 'mute', name: 'Mia', minutes: 30 });
  await chat.waitFor(/! a teacher muted you until \d\d:\d\d( tomorrow)?: your messages are not passed on until then/);
  // A muted student may still write to teachers, to nobody else.
  chat.write('Jonas: hallo?\n');
  await chat.waitFor(/! Jonas: rejected \(muted\): a teacher muted you until \d\d:\d\d/);
  keller.send({ type: 'moderate', id: 'x2', action: 'unmute', name: 'Mia' });
  await chat.waitFor('! you are no longer muted: you can write again');
  keller.send({ type: 'clear-hints', id: 'c1' });
  await chat.waitFor(/! Frau Keller cleared the hints of the lesson \(\d\d:\d\d\)/);
  chat.process.stdin.end();
  assert.equal((await chat.exited).code, 0);
  assert.equal(chat.stdout.includes('\u001b[2J'), false);
});

test('chat reads NAME in double quotes or as one word, and checks MINUTES before anything is sent', () => {
  assert.deepEqual(parseClassCommand('/mute "Mia Muster" 10'), {
    kind: 'moderate',
    action: { action: 'mute', name: 'Mia Muster', minutes: 10 },
  });
  assert.deepEqual(parseClassCommand('/mute Mia'), { kind: 'moderate', action: { action: 'mute', name: 'Mia' } });
  assert.equal(parseClassCommand('/mute Mia Muster')?.kind, 'problem');
  assert.equal(parseClassCommand('/mute Mia 2000')?.kind, 'problem');
  assert.deepEqual(parseClassCommand('/kick "Mia Muster" Bitte zuhören.'), {
    kind: 'moderate',
    action: { action: 'disconnect', name: 'Mia Muster', reason: 'Bitte zuhören.' },
  });
  assert.equal(parseClassCommand('/kick Mia')?.kind, 'problem');
  assert.deepEqual(parseClassCommand('/unmute Mia Muster'), {
    kind: 'moderate',
    action: { action: 'unmute', name: 'Mia Muster' },
  });
  assert.deepEqual(parseClassCommand('/lower "Mia Muster"'), {
    kind: 'moderate',
    action: { action: 'lower-hand', name: 'Mia Muster' },
  });
  assert.deepEqual(parseClassCommand('/hand down'), { kind: 'hand', up: false });
  assert.deepEqual(parseClassCommand('/hand'), { kind: 'hand', up: true });
  assert.equal(parseClassCommand('/handy'), undefined);
  assert.equal(parseClassCommand('Bob: /mute'), undefined);
});

test('the wire trace never shows the teacher key, with the relay dialect and with detection (whose probe carries none)', async () => {
  const { port } = await teacherRelay();
  for (const dialect of ['relay', 'auto'] as const) {
    const traced: string[] = [];
    const session = await openSession({
      host: '127.0.0.1',
      port,
      name: `Frau Keller ${dialect === 'relay' ? 'A' : 'B'}`,
      dialect,
      teacherKey: KEY,
      trace: (direction, bytes) => traced.push(`${direction} ${Buffer.from(bytes).toString('utf8')}`),
    });
    assert.equal(session.role, 'teacher', dialect);
    session.close();
    // With detection the probe carries no key (a course server would print it); the hello that registers does.
    const hellos = traced.filter((line) => line.startsWith('out {"type":"hello"'));
    assert.match(hellos.at(-1) ?? '', /"teacherKey":"\(hidden\)"/, dialect);
    if (dialect === 'auto')
      assert.equal(traced.find((line) => line.startsWith('out '))?.trim(), 'out {"type":"ping","id":"probe"}');
    assert.equal(traced.join('\n').includes(KEY), false, dialect);
  }
});
