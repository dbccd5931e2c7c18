/**
 * "Relay: Host Classroom" without VS Code: our relay inside the extension host, its teacher key
 * in secret storage, the addresses for the class, a port in use, Stop Hosting and VS Code
 * closing. Real TCP on this machine; the people at the keyboards are scripted.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAST_NAME } from '../../../src/extension/connection/connectTarget';
import { HOSTED_KEY_SECRET, TEACHER_KEY_SECRET } from '../../../src/extension/classroom/teacherKeys';
import { LAST_HOST_PORT, portFree } from '../../../src/extension/hosting/hosting';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { freePort, sleep } from '../../helpers/relay/peers';
import {
  german,
  hostsForThisFile,
  MemorySecrets,
  MemoryStorage,
  type ExtensionHost,
} from '../../helpers/extension/parts';

relaysForThisFile();
const host = hostsForThisFile(after);
const student = framedPeersForThisFile();
const blockers: Server[] = [];
after(async () => {
  await Promise.all(blockers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A teacher's VS Code about to host on a free port (the course's 12345 may be taken on a shared machine). */
async function teacher(
  options: { name?: string; port?: number; secrets?: MemorySecrets; storage?: MemoryStorage } = {},
): Promise<ExtensionHost> {
  const port = options.port ?? (await freePort());
  return host({
    settings: { hostPort: port, name: options.name ?? 'Frau Keller' },
    secrets: options.secrets,
    storage: options.storage,
    hosting: { relayOptions: { rosterMs: 50 } },
  });
}

async function hosting(keller: ExtensionHost): Promise<number> {
  await keller.parts.hosting.host();
  await keller.until(() => keller.parts.classroom.role === 'teacher', 'connected to the hosted relay as its teacher');
  return keller.parts.hosting.hosted!.port;
}

/** Something else listening on `port` on every interface, as another relay would. */
async function occupy(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  blockers.push(server);
}

test('Host Classroom runs the relay on the set port with a key made and kept in secret storage only, connects this VS Code as its teacher and shows the class its LAN address with Copy', async () => {
  const keller = await teacher();
  const port = keller.settings.hostPort!;
  keller.person.reply(/^Your classroom relay runs on port/, (shown) => shown.actions[0]);
  const started = await hosting(keller);
  assert.equal(started, port);
  const key = keller.secrets.values.get(HOSTED_KEY_SECRET)!;
  assert.match(key, /^[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}$/);
  assert.equal(
    keller.secrets.values.get(`${TEACHER_KEY_SECRET}127.0.0.1:${port}`),
    key,
    'Connect presents it to the hosted relay',
  );
  assert.deepEqual(keller.parts.lifecycle.target, {
    server: { transport: 'tcp', host: '127.0.0.1', port },
    name: 'Frau Keller',
  });
  const shown = await keller.until(
    () => keller.person.shown.find((candidate) => candidate.message.startsWith('Your classroom relay runs')),
    'the addresses',
  );
  assert.deepEqual(shown, {
    level: 'info',
    message: `Your classroom relay runs on port ${port}. Students connect to: 192.168.1.23:${port}`,
    actions: [`Copy 192.168.1.23:${port}`],
  });
  await keller.until(() => keller.editors.copied.length === 1, 'the address copied');
  assert.deepEqual(keller.editors.copied, [`192.168.1.23:${port}`]);
  assert.deepEqual(keller.person.shown.at(-1), {
    level: 'flash',
    message: `192.168.1.23:${port} copied: give it to the class.`,
    actions: [],
  });
  assert.deepEqual(keller.parts.hosting.hosted, { port, addresses: [`192.168.1.23:${port}`] });
  assert.equal(keller.storage.get(LAST_HOST_PORT), port);
  assert.ok(keller.log.includes(`info: Hosting a classroom relay on port ${port}.`));
  assert.ok(
    keller.log.some((line) => line.startsWith('info: Hosted relay: ') && line.includes(`0.0.0.0:${port}`)),
    "the relay's log goes to the Relay output",
  );

  const mia = await student(port, 'Mia');
  const tim = await student(port, 'Tim');
  tim.send({ type: 'broadcast', id: 't1', text: 'Die Lösung ist 42' });
  const refused = await tim.next('ack');
  assert.deepEqual([refused.status, refused.reason], ['rejected', 'not-allowed']);
  keller.parts.session.broadcast('Tipp: recv() liefert höchstens so viel, wie angekommen ist.');
  const hint = await mia.next('broadcast');
  assert.deepEqual([hint.from, hint.teacher], ['Frau Keller', true]);
  await keller.until(() => keller.parts.classroom.roster?.total === 2, 'two students in the roster');
  for (const text of [
    keller.log.join('\n'),
    [...keller.storage.values.values()].join('\n'),
    JSON.stringify(keller.settings),
  ])
    assert.ok(!text.includes(key), 'the key is in secret storage only');
});

test('Host Classroom again while hosting shows the addresses again and starts nothing more; hosting again later uses the same key and the last port', async () => {
  const secrets = new MemorySecrets();
  const storage = new MemoryStorage();
  const keller = await teacher({ secrets, storage });
  const port = await hosting(keller);
  const key = secrets.values.get(HOSTED_KEY_SECRET);
  await keller.parts.hosting.host();
  assert.equal(keller.person.shown.filter((shown) => shown.message.startsWith('Your classroom relay runs')).length, 2);
  assert.equal(keller.parts.hosting.hosted?.port, port);
  await keller.parts.hosting.stop();
  keller.dispose();
  const later = host({ secrets, storage, settings: { name: 'Frau Keller' } });
  await hosting(later);
  assert.equal(later.parts.hosting.hosted?.port, port, 'the port used last time');
  assert.equal(secrets.values.get(HOSTED_KEY_SECRET), key, 'the same key');
  await later.parts.hosting.stop();
});

test("with no name set, Host Classroom asks for the teacher's name; without a network it says only this computer can connect", async () => {
  const port = await freePort();
  const keller = host({ settings: { hostPort: port }, interfaces: {} });
  keller.person.answer('name', 'Herr Gerber');
  await hosting(keller);
  assert.deepEqual(keller.person.asked[0], { kind: 'name', args: [undefined, 'Relay: Host Classroom'] });
  assert.equal(keller.storage.get(LAST_NAME), 'Herr Gerber');
  const shown = await keller.until(
    () => keller.person.shown.find((candidate) => candidate.message.startsWith('Your classroom relay runs')),
    'the addresses',
  );
  assert.deepEqual(shown.actions, []);
  assert.equal(
    shown.message,
    `Your classroom relay runs on port ${port}, but this computer has no network address the class can reach; only this computer can connect (127.0.0.1:${port}). Connect it to the classroom network.`,
  );
});

test('an address that cannot be copied (no clipboard) is named in a warning instead', async () => {
  const keller = await teacher();
  keller.editors.copy = async () => {
    throw new Error('clipboard not available');
  };
  keller.person.reply(/^Your classroom relay runs on port/, (shown) => shown.actions[0]);
  const port = await hosting(keller);
  const warning = await keller.until(
    () => keller.person.shown.find((shown) => shown.level === 'warning'),
    'the warning',
  );
  assert.equal(warning.message, `The address could not be copied here. Give the class this one: 192.168.1.23:${port}`);
  assert.ok(keller.log.includes('warn: The address could not be copied: clipboard not available'));
});

test("a relay that cannot listen for another reason says so in the person's language with the system's error code; the log keeps the system's words", async () => {
  const port = await freePort();
  // 192.0.2.1 is a documentation address: no computer has it, so listening there fails with EADDRNOTAVAIL.
  const keller = host({
    t: german,
    settings: { hostPort: port, name: 'Frau Keller' },
    hosting: { listenHost: '192.0.2.1' },
  });
  await keller.parts.hosting.host();
  const error = await keller.until(() => keller.person.shown.find((shown) => shown.level === 'error'), 'the error');
  assert.equal(
    error.message,
    `Das Klassen-Relay konnte nicht auf Port ${port} empfangen (Systemfehler EADDRNOTAVAIL).`,
  );
  assert.ok(
    keller.log.some((line) => line.startsWith('error: Das Klassen-Relay') && line.includes('EADDRNOTAVAIL')),
    keller.log.join('\n'),
  );
  assert.equal(keller.parts.hosting.hosted, undefined);
});

test('a port in use is explained and a free one offered; taking it, the relay runs there and it is remembered; declining starts nothing', async () => {
  const taken = await freePort();
  await occupy(taken);
  const keller = await teacher({ port: taken });
  let offered: number | undefined;
  keller.person.reply(/already in use/, (shown) => {
    offered = Number(/Use Port (\d+)/.exec(shown.actions[0]!)![1]);
    return shown.actions[0];
  });
  await hosting(keller);
  const warning = keller.person.shown.find((shown) => shown.level === 'warning')!;
  assert.equal(
    warning.message,
    `Port ${taken} is already in use on this computer, perhaps by another relay or a course server, so the classroom relay cannot listen there. Port ${offered} is free: the class then connects to that port.`,
  );
  assert.ok(offered! > taken);
  assert.equal(keller.parts.hosting.hosted?.port, offered);
  assert.equal(keller.storage.get(LAST_HOST_PORT), offered);
  assert.equal(keller.parts.lifecycle.target?.server.port, offered);

  const declining = await teacher({ port: taken });
  await declining.parts.hosting.host();
  assert.equal(declining.parts.hosting.hosted, undefined);
  assert.equal(declining.parts.lifecycle.state.kind, 'idle');
  assert.equal(declining.person.shown.filter((shown) => shown.level === 'warning').length, 1);
});

test("Stop Hosting asks while students are connected, then stops the relay: the students are told that it is shutting down, this VS Code's own connection ends quietly, the port is free", async () => {
  const keller = await teacher();
  const port = await hosting(keller);
  const mia = await student(port, 'Mia');
  await keller.parts.hosting.stop();
  assert.equal(
    keller.person.shown.at(-1)?.message,
    'Stop the classroom relay? The connected students (1) are disconnected and told that it stopped.',
  );
  assert.ok(keller.parts.hosting.hosted, 'declined: still hosting');
  keller.person.reply(/^Stop the classroom relay\?/, 'Stop Hosting');
  await keller.parts.hosting.stop();
  const error = await mia.next('error');
  assert.deepEqual([error.code, error.fatal, error.message], ['server-shutdown', true, 'the relay is shutting down']);
  await mia.waitClosed();
  assert.equal(keller.parts.hosting.hosted, undefined);
  assert.equal(keller.parts.lifecycle.state.kind, 'idle', 'not trying to reconnect to its own stopped relay');
  assert.equal(keller.parts.classroom.isTeacher, false);
  assert.ok(keller.log.includes(`info: The classroom relay on port ${port} stopped.`));
  assert.equal(await portFree(port, '0.0.0.0'), true);
  await keller.parts.hosting.stop();
  assert.equal(keller.person.shown.at(-1)?.message, 'This VS Code is not hosting a classroom.');
});

test('when VS Code closes, the hosted relay stops and tells its clients why', async () => {
  const keller = await teacher();
  const port = await hosting(keller);
  const mia = await student(port, 'Mia');
  const closing = keller.parts.hosting.close();
  keller.dispose();
  await closing;
  const error = await mia.next('error');
  assert.equal(error.code, 'server-shutdown');
  await mia.waitClosed();
  assert.equal(await portFree(port, '0.0.0.0'), true);
});

test('disposing the parts alone (the extension host ends) stops a hosted relay too', async () => {
  const keller = await teacher();
  const port = await hosting(keller);
  const mia = await student(port, 'Mia');
  keller.dispose();
  assert.equal((await mia.next('error')).code, 'server-shutdown');
  await sleep(50);
  assert.equal(await portFree(port, '0.0.0.0'), true);
});

test('a classroom hosted again keeps its lesson in global storage: a student who joins after the relay was stopped and started gets the hint sent before', async () => {
  const secrets = new MemorySecrets();
  const storage = new MemoryStorage();
  const stateDir = mkdtempSync(join(tmpdir(), 'relay-hosted-state-'));
  after(() => rmSync(stateDir, { recursive: true, force: true }));
  const port = await freePort();
  const options = { settings: { hostPort: port, name: 'Frau Keller' }, secrets, storage };
  const keller = host({ ...options, hosting: { relayOptions: { rosterMs: 50, stateDir } } });
  await hosting(keller);
  const mia = await student(port, 'Mia');
  keller.parts.lifecycle.connection!.broadcast('Tipp: zuerst bind(), dann listen().');
  await mia.next('broadcast');
  keller.person.reply(/^Stop the classroom relay\?/, 'Stop Hosting');
  await keller.parts.hosting.stop();
  keller.dispose();

  const later = host({ ...options, hosting: { relayOptions: { rosterMs: 50, stateDir } } });
  await hosting(later);
  const noah = await student(port, 'Noah');
  const hint = await noah.next('broadcast');
  assert.deepEqual([hint.text, hint.earlier], ['Tipp: zuerst bind(), dann listen().', true]);
  assert.ok(existsSync(join(stateDir, `port-${port}`)), 'kept in a folder of its port');
  await later.parts.hosting.stop();
});
