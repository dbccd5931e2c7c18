/**
 * Connection slots: sockets that say nothing, plain or before their TLS handshake, have a smaller
 * budget than the relay's connections (per address and in all) and a short deadline, so
 * registered users and newcomers always find room. Silent attackers play other hosts from
 * 127.0.x.y; newcomers come from addresses of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { RawPeer, sleep } from '../helpers/relay/peers';
import { helloFrom } from '../helpers/relay/hosts';
import { eventually } from '../helpers/time/wait';

const relay = relaysForThisFile();

/** A self-signed certificate for 127.0.0.1, valid for a hundred years: these tests need TLS, not trust. */
const CERT = `-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUBKVx1wvZOUT588iEi6dP2xgDfhIwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNzAzNDE1OFoYDzIxMjYxMTEz
MDM0MTU4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQuO7Q3mTfaRSlPp0R1+srAUaBhmHrjtGlS+IEcfBoxlqKII15eIoEj
MLZ4RdNoGar58LCMf9r+5JEB+MCfenCmo2QwYjAdBgNVHQ4EFgQUgPWGsqQ5sjmM
0PwaMxH4K9EhF7swHwYDVR0jBBgwFoAUgPWGsqQ5sjmM0PwaMxH4K9EhF7swDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IH1VDpLXLZjD5dj/3F5mwuokm59vumX/z9r1ySSHULdEAiBXkfU+1lGisrnTVG4O
KW6EZA6wxuWeXp1511Y29xYRNw==
-----END CERTIFICATE-----`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmLgkgRlfj6ivIfAc
5CuhGmXnn++tm5DWWCQc3Cjbhz+hRANCAAQuO7Q3mTfaRSlPp0R1+srAUaBhmHrj
tGlS+IEcfBoxlqKII15eIoEjMLZ4RdNoGar58LCMf9r+5JEB+MCfenCm
-----END PRIVATE KEY-----`;

/** Opens a socket that never sends a byte (on the TLS port: never starts its handshake). */
async function silent(port: number, from: string): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, localAddress: from });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Opens `perAddress` silent sockets from each of `addresses` hosts 127.0.<block>.<n>. */
async function silentCrowd(port: number, block: number, addresses: number, perAddress: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let host = 1; host <= addresses; host++)
    sockets.push(
      ...(await Promise.all(Array.from({ length: perAddress }, () => silent(port, `127.0.${block}.${host}`)))),
    );
  return sockets;
}

/** A course client from `from`: its name at once, as the course's client sends it. */
async function courseFrom(port: number, from: string, name: string): Promise<RawPeer> {
  const peer = await RawPeer.connect(port, { from });
  peer.write(`${name}\n`);
  return peer;
}

const registeredNewcomers = async (port: number, server: { online: string[] }, block: number) => {
  const names: string[] = [];
  for (let index = 1; index <= 6; index++) {
    const name = `Neu ${block}.${index}`;
    if (index % 2 === 0) await helloFrom(port, `127.0.${block}.${index}`, name);
    else await courseFrom(port, `127.0.${block}.${index}`, name);
    names.push(name);
  }
  await sleep(300);
  return names.filter((name) => server.online.includes(name));
};

test('512 silent connections from 8 addresses do not lock newcomers out: 6 of 6 get in, and registered users stay', async () => {
  const { port, relay: server } = await relay();
  const classmates = await Promise.all([1, 2, 3].map((index) => courseFrom(port, '127.0.9.1', `Da ${index}`)));
  await eventually(
    () => server.online.length === 3,
    () => `${server.online.length} online`,
  );
  const crowd = await silentCrowd(port, 10, 8, 64);
  await eventually(
    () => server.connectionCount >= 512,
    () => `${server.connectionCount} connections`,
  );
  const inside = await registeredNewcomers(port, server, 11);
  assert.equal(inside.length, 6, `${inside.length} of 6 newcomers got in`);
  for (const name of ['Da 1', 'Da 2', 'Da 3']) assert.ok(server.online.includes(name), `${name} was closed`);
  for (const socket of crowd) socket.destroy();
  for (const peer of classmates) peer.close();
});

test("one student's 64 silent sockets do not lock out the class behind the same address", async () => {
  const { port, relay: server } = await relay();
  const crowd = await silentCrowd(port, 12, 1, 64);
  await eventually(
    () => server.connectionCount >= 64,
    () => `${server.connectionCount} connections`,
  );
  const names = ['Nina', 'Luca', 'Mia'];
  const peers = await Promise.all(names.map((name) => courseFrom(port, '127.0.12.1', name)));
  await eventually(
    () => names.every((name) => server.online.includes(name)),
    () => `online: ${server.online.join(', ')}`,
  );
  for (const socket of crowd) socket.destroy();
  for (const peer of peers) peer.close();
});

test('sockets that never start their TLS handshake do not lock newcomers out of either port', async () => {
  const { relay: server } = await relay({ maxConnections: 96, tls: { cert: CERT, key: KEY, port: 0 } });
  const { tls } = await server.listen();
  const { plain } = await server.listen();
  const crowd = await silentCrowd(tls!.port, 13, 2, 48);
  await eventually(
    () => server.connectionCount >= 96,
    () => `${server.connectionCount} connections`,
  );
  const inside = await registeredNewcomers(plain!.port, server, 14);
  assert.equal(inside.length, 6, `${inside.length} of 6 newcomers got in`);
  for (const socket of crowd) socket.destroy();
});

test('a connection that sends no byte is closed after the silent time, in German; one that has begun is not', async () => {
  const { port, relay: server } = await relay({ unregistered: { silentMs: 300 } });
  const quiet = await RawPeer.connect(port, { from: '127.0.15.1' });
  const typing = await RawPeer.connect(port, { from: '127.0.15.2' });
  // A framed hello cut in two: this connection has begun to register.
  typing.write('{"type":"hello","protocol":"classroom-relay",');
  await quiet.waitClosed(3000);
  assert.equal(quiet.text, 'Fehler: Kein Name empfangen. Die Verbindung wird getrennt.');
  await sleep(300);
  assert.equal(typing.closed, false);
  typing.write('"versions":[1],"name":"Langsam"}\n');
  await eventually(
    () => server.online.includes('Langsam'),
    () => `online: ${server.online.join(', ')}`,
  );
  typing.close();
});

test('an attacker who keeps opening silent sockets from ever new addresses does not keep newcomers out', async () => {
  const { port, relay: server } = await relay({ maxConnections: 64 });
  let attacking = true;
  const opened: Socket[] = [];
  const attack = (async () => {
    for (let round = 0; attacking && round < 2000; round++) {
      const from = `127.1.${Math.floor(round / 200)}.${(round % 200) + 1}`;
      opened.push(await silent(port, from).catch(() => connect({ port: 9 })));
      if (round % 20 === 0) await sleep(1);
    }
  })();
  await sleep(300);
  const inside = await registeredNewcomers(port, server, 16);
  attacking = false;
  await attack;
  assert.equal(inside.length, 6, `${inside.length} of 6 newcomers got in`);
  for (const socket of opened) socket.destroy();
});

test('a class joining at once from one address is let in whole, though more than the unregistered budget wait at once', async () => {
  const { port, relay: server } = await relay();
  const names = Array.from({ length: 40 }, (_, index) => `Klasse ${index}`);
  const peers = await Promise.all(names.map((name) => courseFrom(port, '127.0.17.1', name)));
  await eventually(
    () => names.every((name) => server.online.includes(name)),
    () => `${server.online.length} of 40 online`,
  );
  for (const peer of peers) peer.close();
});
