/**
 * Our client and a relay's classes: class requests (make, list, end, and their refusals), joining a
 * class in each dialect, and what an unknown or ended class becomes for a session and a lasting
 * connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { classRefusalOf, classRequest } from '../../src/client/classRequest';
import { RelayError } from '../../src/client/types';
import { APART } from '../../src/server/classes/rooms';
import { formatServerAddress, type ServerAddress } from '../../src/protocol/address';
import { readClassCode } from '../../src/protocol/classCode';
import { connectionsForThisFile, sessionsForThisFile } from '../helpers/client/sessions';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer } from '../helpers/relay/peers';

const relay = relaysForThisFile();
const session = sessionsForThisFile();
const connection = connectionsForThisFile();
const ADMIN = 'schulhaus-admin-schluessel-7';

const at = (port: number, classCode?: string): ServerAddress => ({
  transport: 'tcp',
  host: '127.0.0.1',
  port,
  ...(classCode === undefined ? {} : { classCode }),
});

async function refusal(promise: Promise<unknown>): Promise<RelayError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof RelayError, `a RelayError, got ${String(error)}`);
  return error;
}

test('a class made on an open relay has a readable code, its own teacher key and the address to give the class', async () => {
  const { port } = await relay({ classCreation: 'open' });
  const made = await classRequest(at(port), { type: 'create' });
  assert.deepEqual(readClassCode(made.code), { ok: true, code: made.code });
  assert.ok(made.teacherKey.length >= 16, made.teacherKey);
  assert.deepEqual(made.address, at(port, made.code));
  assert.equal(formatServerAddress(made.address), `127.0.0.1:${port}/${made.code}`);
});

test('a class request goes to the relay whatever class the address names', async () => {
  const { port } = await relay({ classCreation: 'open' });
  const made = await classRequest(at(port, 'abc-def'), { type: 'create' });
  assert.equal(formatServerAddress(made.address), `127.0.0.1:${port}/${made.code}`);
});

test('the admin key lists the classes and ends one; an ended class is no longer listed', async () => {
  const { port } = await relay({ adminKey: ADMIN });
  const first = await classRequest(at(port), { type: 'create', adminKey: ADMIN });
  const second = await classRequest(at(port), { type: 'create', adminKey: ADMIN });
  const listed = await classRequest(at(port), { type: 'list', adminKey: ADMIN });
  assert.deepEqual(listed.classes.map((each) => each.code).sort(), [first.code, second.code].sort());
  assert.ok(listed.classes.every((each) => each.online === 0 && !Number.isNaN(Date.parse(each.madeAt))));
  const ended = await classRequest(at(port), { type: 'end', code: first.code.toUpperCase(), adminKey: ADMIN });
  assert.deepEqual(ended, { type: 'ended', code: first.code });
  const after = await classRequest(at(port), { type: 'list', adminKey: ADMIN });
  assert.deepEqual(
    after.classes.map((each) => each.code),
    [second.code],
  );
});

test('refusals are "class-refused" with the relay’s reason, told apart for the caller', async () => {
  const plain = await relay();
  const off = await refusal(classRequest(at(plain.port), { type: 'create' }));
  assert.deepEqual(
    [off.code, off.message, classRefusalOf(off)],
    ['class-refused', 'this relay makes no classes', 'off'],
  );

  const { port } = await relay({ adminKey: ADMIN });
  const needed = await refusal(classRequest(at(port), { type: 'create' }));
  assert.deepEqual([needed.code, classRefusalOf(needed)], ['class-refused', 'admin-key']);
  const wrong = await refusal(classRequest(at(port), { type: 'list', adminKey: 'falsch-falsch-falsch' }));
  assert.deepEqual([wrong.code, classRefusalOf(wrong)], ['class-refused', 'admin-key']);
  const none = await refusal(classRequest(at(port), { type: 'end', code: 'abc-def', adminKey: ADMIN }));
  assert.deepEqual([none.code, classRefusalOf(none)], ['class-refused', 'no-such-class']);
  assert.equal(classRefusalOf(new RelayError('refused', 'no relay')), undefined);
});

test('a server that is not a Classroom Relay is a protocol error, not a refusal', async (t) => {
  const server = createServer((socket) => socket.once('data', () => socket.write('{"type" nicht gefunden.\n')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;
  const error = await refusal(classRequest(at(port), { type: 'create' }));
  assert.equal(error.code, 'protocol');
  const closed = await relay();
  await closed.close();
  const gone = await refusal(classRequest(at(closed.port), { type: 'create' }));
  assert.equal(gone.code, 'refused');
});

test('framed sessions join the class of their address: messages stay in it, and the same name is in each class', async () => {
  const { port } = await relay({ classCreation: 'open' });
  const { code } = await classRequest(at(port), { type: 'create' });
  const anna = await session(port, 'Anna', 'auto', { classCode: code });
  const ben = await session(port, 'Ben', 'relay', { classCode: code });
  const otherAnna = await session(port, 'Anna', 'relay');
  assert.equal(anna.session.classCode, code);
  assert.equal(ben.session.classCode, code);
  assert.equal(otherAnna.session.classCode, undefined);
  assert.deepEqual(ben.session.online, ['Anna']);
  assert.deepEqual(await ben.session.send('Anna', 'in der Klasse'), { status: 'delivered' });
  assert.equal((await anna.next('message')).text, 'in der Klasse');
  assert.deepEqual(await otherAnna.session.send('Ben', 'von draussen'), { status: 'unknown-peer' });
  assert.ok(!otherAnna.events.some((event) => event.type === 'message'));
});

test('a course-dialect session names its class as CODE/Name and is registered as Name in it', async () => {
  const { port } = await relay({ classCreation: 'open' });
  const { code } = await classRequest(at(port), { type: 'create' });
  const teacherSide = await FramedPeer.connect(port, 'Dora', { class: code });
  const carla = await session(port, 'Carla', 'course', { classCode: code });
  assert.equal(carla.session.name, 'Carla');
  assert.equal(carla.session.classCode, code);
  assert.deepEqual(await carla.session.send('Dora', 'Hallo'), { status: 'sent' });
  const got = await teacherSide.next('message');
  assert.deepEqual([got.from, got.text], ['Carla', 'Hallo']);
  await teacherSide.close();
});

test('an unknown class code is the error "unknown-class", in every way of connecting', async () => {
  const { port } = await relay({ classCreation: 'open' });
  for (const dialect of ['relay', 'auto'] as const) {
    const error = await refusal(session(port, 'Anna', dialect, { classCode: 'abc-def' }));
    assert.equal(error.code, 'unknown-class', dialect);
    assert.match(error.message, /abc-def/);
  }
  const lasting = connection({ port, name: 'Anna', classCode: 'abc-def' });
  const error = await refusal(lasting.connection.start());
  assert.equal(error.code, 'unknown-class');
  assert.deepEqual(lasting.connection.state.kind, 'failed');
});

test('a lasting connection whose class ends fails with "class-ended" and does not try again', async () => {
  const { port } = await relay({ adminKey: ADMIN, classCreation: 'open' });
  const { code } = await classRequest(at(port), { type: 'create' });
  const lasting = connection({ port, name: 'Anna', classCode: code });
  await lasting.connection.start();
  await lasting.state('connected');
  await classRequest(at(port), { type: 'end', code, adminKey: ADMIN });
  const failed = await lasting.state('failed');
  assert.ok(failed.kind === 'failed');
  assert.equal(failed.error.code, 'class-ended');
  assert.ok(!lasting.events.some((event) => event.type === 'state' && event.state.kind === 'waiting'));
});

test('a class is our relay’s: a remembered course dialect does not take it, so the hello carries it', async () => {
  const { port } = await relay({ classCreation: 'open' });
  const { code } = await classRequest(at(port), { type: 'create' });
  const anna = await session(port, 'Anna', 'auto', { classCode: code, remembered: 'course' });
  assert.deepEqual([anna.session.dialect, anna.session.classCode], ['relay', code]);
});

test('a server that is not our relay has no classes: connecting to a class there is refused, not made a course name', async (t) => {
  const heard: string[] = [];
  const courseServer = createServer((socket) => socket.on('data', (data) => heard.push(data.toString())));
  await new Promise<void>((resolve) => courseServer.listen(0, '127.0.0.1', resolve));
  t.after(() => courseServer.close());
  const { port } = courseServer.address() as { port: number };
  const error = await refusal(session(port, 'Anna', 'auto', { classCode: 'abc-def' }));
  assert.equal(error.code, 'protocol');
  assert.match(error.message, /did not answer as a Classroom Relay, so it has no class abc-def/);
  assert.ok(!heard.some((text) => text.includes('Anna')), JSON.stringify(heard));
});

test('a node of the relay that cannot reach the others refuses: the request goes on to the next node, and with none left the refusal is what is said', async (t) => {
  const apartNode = createServer((socket) =>
    socket.once('data', () =>
      socket.end(`${JSON.stringify({ type: 'error', code: 'class-refused', message: APART, fatal: true })}\n`),
    ),
  );
  await new Promise<void>((resolve) => apartNode.listen(0, '127.0.0.1', resolve));
  t.after(() => apartNode.close());
  const apartPort = (apartNode.address() as { port: number }).port;
  const open = await relay({ classCreation: 'open' });
  const twoNodes: ServerAddress = { ...at(apartPort), alternates: [at(open.port)] };
  const made = await classRequest(twoNodes, { type: 'create' });
  assert.ok(readClassCode(made.code).ok);
  const gone = await relay();
  await gone.close();
  const refused = await refusal(classRequest({ ...at(apartPort), alternates: [at(gone.port)] }, { type: 'create' }));
  assert.equal(classRefusalOf(refused), 'apart');
});
