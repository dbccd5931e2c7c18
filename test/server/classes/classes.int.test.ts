/**
 * Classes on a relay run as `classroom-relay serve`, met by real programs: the course's Python
 * client re-creation and netcat name their class as `CODE/Name` and chat inside it, unseen by
 * the default class; netcat with a mistyped code is told in German and tries again.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { classRequest, makeClass } from '../../helpers/relay/classes';
import { FramedPeer, freePort, sleep } from '../../helpers/relay/peers';
import { serveArgs, courseClient, start, stopAll } from '../../helpers/process/processes';

after(stopAll);

const ADMIN = 'schulhaus-admin-schluessel-7';

async function servedRelay(): Promise<{ port: number; stdout: () => string }> {
  const port = await freePort();
  const child = start(process.execPath, serveArgs(port, '--state', 'none', '--admin-key', ADMIN));
  await child.waitFor('Stop with Ctrl+C.');
  return { port, stdout: () => child.stdout };
}

test('serve with an admin key says who may make classes and never prints the key; a class is made by it', async () => {
  const { port, stdout } = await servedRelay();
  assert.match(
    stdout(),
    /An admin key is set \(from --admin-key\): whoever presents it may make, list and end classes\./,
  );
  assert.match(stdout(), /Classes: holders of the admin key make them \(--class-creation key\)\./);
  assert.doesNotMatch(stdout(), new RegExp(ADMIN));
  const refused = await classRequest(port, { type: 'class-create', id: 'c1' });
  assert.equal(refused.type === 'error' && refused.code, 'class-refused');
  const made = await classRequest(port, { type: 'class-create', id: 'c2', adminKey: ADMIN });
  assert.equal(made.type, 'class-created');
});

test('the Python course client and netcat join a class as CODE/Name and chat inside it; the default class sees none of it', async () => {
  const { port } = await servedRelay();
  const { code } = await makeClass(port, ADMIN);
  const anna = await courseClient(port, `${code}/Anna`);
  const nc = start('nc', ['127.0.0.1', String(port)]);
  nc.write(`${code}/Nina\n`);
  const annaDefault = await FramedPeer.connect(port, 'Anna');
  await sleep(200);
  nc.write('Anna:Hallo aus netcat\n');
  await anna.waitFor('Nina: Hallo aus netcat');
  anna.write('Nina\nHallo zurück\n');
  await nc.waitFor('Anna: Hallo zurück\n');
  anna.write('Carol\nbist du da?\n');
  await anna.waitFor('Empfänger Carol nicht gefunden.');
  await sleep(200);
  assert.deepEqual(
    annaDefault.frames.filter((frame) => frame.type === 'message' || frame.type === 'presence'),
    [],
  );
});

test('netcat with a code that does not exist is told in German and joins with the right one on the same connection', async () => {
  const { port } = await servedRelay();
  const { code } = await makeClass(port, ADMIN);
  const nc = start('nc', ['127.0.0.1', String(port)]);
  nc.write('4kx-92m/Nina\n');
  await nc.waitFor(
    'Fehler: Die Klasse 4kx-92m gibt es auf diesem Relay nicht (vielleicht ist sie beendet). Schreib deinen Namen, oder CODE/Name mit dem Code deiner Klasse.\n',
  );
  nc.write(`${code}/Nina\n`);
  // Registered before the teacher writes to her: a line to herself comes back once she is.
  nc.write('Nina:da\n');
  await nc.waitFor('Nina: da\n');
  const teacher = await FramedPeer.connect(port, 'Mia', { class: code });
  teacher.send({ type: 'send', id: 'm1', to: 'Nina', text: 'angekommen?' });
  assert.equal((await teacher.next('ack')).status, 'delivered');
  await nc.waitFor('Mia: angekommen?\n');
});
