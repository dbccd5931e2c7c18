/**
 * Register Name: disconnected, the name the next connect uses without asking; connected, the
 * new name registered beside the connection that is up, which stays when the server refuses
 * (taken, a look-alike), saying why; on our relay and on a server speaking the course dialect
 * (our relay speaks it too). The relay runs in the test; real TCP.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { german, hostsForThisFile } from '../../helpers/extension/parts';
import { coursePeer } from '../../helpers/relay/peers';
import { eventually } from '../../helpers/time/wait';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();
const courses: Array<{ close(): unknown }> = [];
after(() => courses.forEach((peer) => peer.close()));

test('Register Name after a disconnect: Connect joins under the new name without asking for it', async () => {
  const { port, relay: server } = await relay();
  const carla = host();
  await carla.connect(port, 'Carla');
  carla.parts.lifecycle.disconnect();
  carla.person.answer('name', 'Carla Neu');
  await carla.parts.lifecycle.registerName();
  assert.equal(carla.person.shown.at(-1)?.message, 'Relay: your name is now Carla Neu. It is used when you connect.');
  const asked = carla.person.asked.length;
  await carla.parts.lifecycle.connect();
  await carla.until(() => carla.parts.lifecycle.state.kind === 'connected' || undefined, 'connected');
  assert.deepEqual(carla.person.asked.slice(asked), [], 'nothing asked');
  assert.equal(carla.parts.lifecycle.connection?.name, 'Carla Neu');
  await eventually(
    () => server.online.includes('Carla Neu'),
    () => `the relay has ${server.online.join(', ')}`,
  );
});

test('Register Name while connected to a name that is taken or looks like one keeps the old name and the connection, and says why', async () => {
  const { port, relay: server } = await relay();
  await framed(port, 'Bob');
  const carla = host();
  await carla.connect(port, 'Carla');
  const connection = carla.parts.lifecycle.connection;
  const states: string[] = [];
  carla.parts.lifecycle.onEvent((event) => {
    if (event.type === 'connection' && event.event.type === 'state') states.push(event.event.state.kind);
  });
  for (const wanted of ['Bob', 'B0b']) {
    carla.person.answer('name', wanted);
    await carla.parts.lifecycle.registerName();
    const warning = await carla.until(
      () => carla.person.shown.find((shown) => shown.level === 'warning' && shown.message.includes(`"${wanted}"`)),
      `the refusal of ${wanted}`,
    );
    assert.match(
      warning.message,
      new RegExp(
        `^You stay connected as "Carla"\\. The name "${wanted}" is already taken on 127\\.0\\.0\\.1:${port}\\. ` +
          'Choose another name\\. Server says: .*taken',
      ),
    );
  }
  assert.equal(carla.parts.lifecycle.connection, connection, 'the same connection');
  assert.equal(carla.parts.lifecycle.state.kind, 'connected');
  assert.equal(carla.parts.lifecycle.target?.name, 'Carla');
  assert.deepEqual(states, [], 'never offline');
  assert.ok(server.online.includes('Carla'));

  carla.person.answer('name', 'Carla Neu');
  await carla.parts.lifecycle.registerName();
  await carla.until(() => carla.parts.lifecycle.target?.name === 'Carla Neu' || undefined, 'the new name');
  const state = carla.parts.lifecycle.connection?.state;
  assert.equal(state?.kind === 'connected' && state.name, 'Carla Neu');
  await eventually(
    () => server.online.includes('Carla Neu') && !server.online.includes('Carla'),
    () => `the relay has ${server.online.join(', ')}`,
  );
});

test('in German, a refused name says so in German', async () => {
  const { port } = await relay();
  await framed(port, 'Bob');
  const carla = host({ t: german });
  await carla.connect(port, 'Carla');
  carla.person.answer('name', 'Bob');
  await carla.parts.lifecycle.registerName();
  const warning = await carla.until(() => carla.person.shown.find((shown) => shown.level === 'warning'), 'the refusal');
  assert.match(warning.message, /^Du bleibst als "Carla" verbunden\. Der Name "Bob" ist auf .* bereits vergeben/);
});

test('on a server speaking the course dialect, a taken name keeps the old one connected; a free one replaces it', async () => {
  const { port, relay: server } = await relay();
  const bob = await coursePeer(port, 'Bob');
  courses.push(bob);
  const carla = host({ settings: { dialect: 'course' } });
  await carla.connect(port, 'Carla');
  const connection = carla.parts.lifecycle.connection;
  carla.person.answer('name', 'Bob');
  await carla.parts.lifecycle.registerName();
  const warning = await carla.until(() => carla.person.shown.find((shown) => shown.level === 'warning'), 'the refusal');
  assert.match(warning.message, /^You stay connected as "Carla"\. The name "Bob" is already taken/);
  assert.equal(carla.parts.lifecycle.connection, connection);
  assert.equal(carla.parts.lifecycle.state.kind, 'connected');
  bob.write('Carla:Noch da?');
  await carla.item('Noch da?');

  carla.person.answer('name', 'Carla Neu');
  await carla.parts.lifecycle.registerName();
  await carla.until(() => carla.parts.lifecycle.target?.name === 'Carla Neu' || undefined, 'the new name');
  await eventually(
    () => server.online.includes('Carla Neu') && !server.online.includes('Carla'),
    () => `the relay has ${server.online.join(', ')}`,
  );
  bob.write('Carla Neu:Hallo Carla Neu');
  await carla.item('Hallo Carla Neu');
});

test('Disconnect while a new name is being registered: the window stays disconnected and the new connection ends', async () => {
  const { port, relay: server } = await relay();
  const carla = host({ settings: { dialect: 'course' } });
  await carla.connect(port, 'Carla');
  carla.person.answer('name', 'Carla Neu');
  // On the course dialect the new name is taken only after a wait for a refusal: room to disconnect meanwhile.
  const registering = carla.parts.lifecycle.registerName();
  await eventually(
    () => server.online.includes('Carla Neu'),
    () => `the relay has ${server.online.join(', ')}`,
  );
  carla.parts.lifecycle.disconnect();
  await registering;
  assert.equal(carla.parts.lifecycle.state.kind, 'idle', 'still disconnected, as the person asked');
  assert.equal(carla.parts.lifecycle.connection, undefined);
  await eventually(
    () => !server.online.includes('Carla Neu') && !server.online.includes('Carla'),
    () => `the relay still has ${server.online.join(', ')}`,
  );
});
