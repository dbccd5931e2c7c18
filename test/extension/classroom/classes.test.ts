/**
 * Classes on one relay, from VS Code: "Relay: Create Class…" on a relay that makes classes for
 * anyone or for the admin key's holder (the key asked once, then kept), the teacher of the class
 * with its roster only, students joining by HOST:PORT/CODE, a student of the default class who
 * sees none of it, and an unknown or ended class worded for people. A real relay over real TCP;
 * the people at the keyboards are scripted.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { classRequest } from '../../../src/client/classRequest';
import { RelayError } from '../../../src/client/types';
import { ADMIN_KEY_SECRET } from '../../../src/extension/classroom/adminKeys';
import { describeClassRefusal } from '../../../src/extension/classroom/classWording';
import { TEACHER_KEY_SECRET } from '../../../src/extension/classroom/teacherKeys';
import { WINDOW_SESSION } from '../../../src/extension/connection/windowSession';
import { historyKey } from '../../../src/extension/chat/history/historyFileNames';
import { statusBarText } from '../../../src/extension/statusBarText';
import { formatServerAddress, parseServerAddress, type ServerAddress } from '../../../src/protocol/address';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { FramedPeer } from '../../helpers/relay/peers';
import { english, german, hostsForThisFile, local, type ExtensionHost } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const peers: FramedPeer[] = [];
after(async () => {
  for (const peer of peers) await peer.close();
});

const ADMIN_KEY = 'schulhaus-relay-admin-7';
const CODE = /^[2-9a-hjkmnp-z]{3}-[2-9a-hjkmnp-z]{3}$/;

/** "Relay: Create Class…" at `port` as `name`; the address shown is copied. Resolves with it. */
async function createClass(teacher: ExtensionHost, port: number, name?: string): Promise<ServerAddress> {
  teacher.person.answer('server', local(port));
  if (name !== undefined) teacher.person.answer('name', name);
  teacher.person.reply(/^Your class .* is ready/, (shown) => shown.actions[0]);
  const copied = teacher.editors.copied.length;
  await teacher.parts.classes.create();
  const address = await teacher.until(() => teacher.editors.copied[copied], 'the address copied');
  const parsed = parseServerAddress(address);
  assert.ok(parsed.ok, address);
  return parsed.address;
}

/** Connects by "Relay: Connect" to `server` as typed (HOST:PORT/CODE). */
async function join(student: ExtensionHost, server: ServerAddress, name: string): Promise<void> {
  student.person.answer('server', server).answer('name', name);
  await student.parts.lifecycle.connect();
  await student.until(() => student.parts.lifecycle.state.kind === 'connected', `${name} connected`);
}

test('Create Class on a relay open to it: the teacher is its teacher with the address to give the class, students join by HOST:PORT/CODE, and a student of the default class sees none of it', async () => {
  const { port } = await relay({ classCreation: 'open', rosterMs: 50 });
  const keller = host();
  const address = await createClass(keller, port, 'Frau Keller');
  const code = address.classCode ?? '';
  assert.match(code, CODE);
  assert.equal(formatServerAddress(address), `127.0.0.1:${port}/${code}`);
  const shown = keller.person.shown.find((notice) => notice.message.startsWith('Your class'));
  assert.deepEqual(shown?.actions, [`Copy 127.0.0.1:${port}/${code}`]);
  assert.match(shown?.message ?? '', new RegExp(`${code}/Name`));
  // The class's key is kept for the class, not for the relay's default class.
  assert.ok(keller.secrets.values.get(`${TEACHER_KEY_SECRET}127.0.0.1:${port}/${code}`));
  assert.equal(keller.secrets.values.get(`${TEACHER_KEY_SECRET}127.0.0.1:${port}`), undefined);
  await keller.until(() => keller.parts.classroom.role === 'teacher', 'Frau Keller the teacher of the class');
  assert.deepEqual(keller.parts.lifecycle.target?.server, address);

  const ben = host();
  await ben.connect(port, 'Ben');
  const anna = host();
  await join(anna, address, 'Anna');
  const tom = host();
  await join(tom, address, 'Tom');
  const rosterNames = () => (keller.parts.classroom.roster?.entries ?? []).map((entry) => entry.name).sort();
  await keller.until(() => rosterNames().join() === 'Anna,Tom', 'Anna and Tom in the roster');
  await anna.until(() => anna.parts.session.online().sort().join() === 'Frau Keller,Tom', 'her class online for Anna');

  anna.parts.session.sendText('Tom', 'Hallo Tom');
  await tom.item('Hallo Tom');
  // Ben is in the default class: from the class, nobody of that name is there.
  anna.parts.session.sendText('Ben', 'Hallo Ben');
  await anna.item('Hallo Ben', (item) => item.failure !== undefined);
  // A message of the default class after Anna's: Ben reads it, and nothing of the class came before.
  const ida = await FramedPeer.connect(port, 'Ida');
  peers.push(ida);
  ida.send({ type: 'send', id: 'i1', to: 'Ben', text: 'Hallo Ben, hier Ida' });
  await ben.item('Hallo Ben, hier Ida');
  assert.deepEqual(
    ben.parts.session.items.filter((item) => item.direction === 'in').map((item) => item.from),
    ['Ida'],
  );
  assert.ok(!ben.parts.session.online().includes('Anna'));
  assert.deepEqual(rosterNames(), ['Anna', 'Tom']);
  // Each class keeps its own history, the default class its old one.
  assert.notEqual(historyKey(address, 'Anna'), historyKey(local(port), 'Anna'));
});

test('the status bar shows the class beside the name; the default class shows the name alone', () => {
  const connected = { kind: 'connected', name: 'Anna', dialect: 'relay', online: [] } as const;
  const inClass = statusBarText(connected, 0, english, { classCode: '4kx-92m', now: new Date() });
  assert.equal(inClass.text, '$(comment-discussion) Anna · 4kx-92m');
  assert.equal(inClass.label, 'Relay: connected as Anna in class 4kx-92m');
  const teacher = statusBarText(connected, 0, german, {
    classCode: '4kx-92m',
    role: 'teacher',
    now: new Date(),
  });
  assert.equal(teacher.text, '$(mortar-board) Anna (Lehrperson) · 4kx-92m');
  assert.equal(statusBarText(connected as never, 0, english, { now: new Date() }).text, '$(comment-discussion) Anna');
});

test('Create Class on a relay that asks for the admin key: a wrong key is asked again, the right one is kept for the relay, and the next class needs no typing', async () => {
  const { port } = await relay({ adminKey: ADMIN_KEY, rosterMs: 50 });
  const meier = host();
  meier.person.answer('secret', 'falsch').answer('secret', ADMIN_KEY);
  const first = await createClass(meier, port, 'Herr Meier');
  const asked = meier.person.asked.filter((question) => question.kind === 'secret');
  assert.equal(asked.length, 2);
  assert.match(String(asked[0]!.args[1]), /needs the relay's admin key/);
  assert.match(String(asked[1]!.args[1]), /did not accept the admin key/);
  assert.equal(meier.secrets.values.get(`${ADMIN_KEY_SECRET}127.0.0.1:${port}`), ADMIN_KEY);
  await meier.until(() => meier.parts.classroom.role === 'teacher', 'Herr Meier the teacher of the first class');

  const second = await createClass(meier, port);
  assert.equal(meier.person.asked.filter((question) => question.kind === 'secret').length, 2);
  assert.notEqual(second.classCode, first.classCode);
  await meier.until(
    () =>
      meier.parts.lifecycle.target?.server.classCode === second.classCode && meier.parts.classroom.role === 'teacher',
    'Herr Meier the teacher of the second class',
  );
  // The first class's key is its own: it makes nobody a teacher of the second.
  assert.notEqual(
    meier.secrets.values.get(`${TEACHER_KEY_SECRET}127.0.0.1:${port}/${first.classCode}`),
    meier.secrets.values.get(`${TEACHER_KEY_SECRET}127.0.0.1:${port}/${second.classCode}`),
  );
});

test('Create Class on a relay that makes no classes says so, and nothing is kept', async () => {
  const { port } = await relay();
  const keller = host();
  keller.person.answer('server', local(port));
  await keller.parts.classes.create();
  const error = await keller.until(
    () => keller.person.shown.find((notice) => notice.level === 'error'),
    'the refusal shown',
  );
  assert.match(error.message, new RegExp(`The relay at 127\\.0\\.0\\.1:${port} makes no classes`));
  assert.equal(keller.secrets.values.size, 0);
  assert.equal(keller.parts.lifecycle.state.kind, 'idle');
});

test('an unknown class code is worded for people and not tried again; the way out is another address', async () => {
  const { port } = await relay({ classCreation: 'open' });
  const anna = host();
  anna.person.answer('server', { ...local(port), classCode: 'zzz-zzz' }).answer('name', 'Anna');
  await anna.parts.lifecycle.connect();
  const error = await anna.until(() => anna.person.shown.find((notice) => notice.level === 'error'), 'an error');
  assert.equal(
    error.message,
    `The relay knows no class 127.0.0.1:${port}/zzz-zzz. Check the address and its code with your teacher: the code may be mistyped, or the class has ended.`,
  );
  assert.deepEqual(error.actions, ['Change Server']);
  assert.equal(anna.parts.lifecycle.state.kind, 'failed');
});

test('a class the admin ends tells its students why, in German too, and they are not reconnected to it', async () => {
  const { port } = await relay({ adminKey: ADMIN_KEY, rosterMs: 50 });
  const made = await classRequest(local(port), { type: 'create', adminKey: ADMIN_KEY });
  const lea = host({ t: german });
  await join(lea, made.address, 'Lea');
  await classRequest(local(port), { type: 'end', code: made.code, adminKey: ADMIN_KEY });
  const error = await lea.until(() => lea.person.shown.find((notice) => notice.level === 'error'), 'the end shown');
  assert.equal(
    error.message,
    `Die Klasse 127.0.0.1:${port}/${made.code} ist beendet: Das Relay hat sie geschlossen, und ihr Code gilt nicht mehr. Frag deine Lehrperson nach der neuen Adresse.`,
  );
  assert.deepEqual(error.actions, ['Server ändern']);
  assert.equal(lea.parts.lifecycle.state.kind, 'failed');
  // Reloading the window does not go back to a class that is gone.
  await lea.until(
    () => lea.windowStorage.get<{ connected: boolean }>(WINDOW_SESSION)?.connected === false,
    'the window to stay disconnected after a reload',
  );
});

test("each refusal of a class request has its own words, in German without the relay's English", () => {
  const reasons = [
    'this relay makes no classes',
    'making a class needs the admin key',
    'too many wrong admin keys came from 10.0.0.5; none is checked for 30 s',
    'this relay keeps 200 classes at most',
    '3 classes at most are made from one address',
    'something new',
  ];
  const worded = reasons.map((reason) =>
    describeClassRefusal(new RelayError('class-refused', reason), '10.0.0.5:12345', german),
  );
  assert.equal(new Set(worded.slice(0, 4)).size, 4);
  assert.equal(worded[3], worded[4]);
  for (const text of worded) {
    assert.ok(!text.startsWith('MISSING'), text);
    assert.ok(!/classes|admin key|relay keeps/.test(text), text);
  }
});
