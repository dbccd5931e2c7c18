/** Names written with the marks of their script register on the relay and receive messages, in both dialects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, FramedPeer } from '../helpers/relay/peers';

const relay = relaysForThisFile();

test('Priya in Devanagari, Tamil and vocalised Arabic names register and are reached by their names', async () => {
  const { port } = await relay();
  const priya = await FramedPeer.connect(port, 'प्रिया');
  const muhammad = await FramedPeer.connect(port, 'مُحَمَّد');
  const tamil = await coursePeer(port, 'தமிழ்', true);
  const lena = await FramedPeer.connect(port, 'Lena');
  lena.send({ type: 'send', id: 'm1', to: 'प्रिया', text: 'Hallo Priya' });
  assert.equal((await lena.next('ack')).status, 'delivered');
  assert.equal((await priya.next('message')).text, 'Hallo Priya');
  lena.send({ type: 'send', id: 'm2', to: 'مُحَمَّد', text: 'Salam' });
  assert.equal((await lena.next('ack')).status, 'delivered');
  assert.equal((await muhammad.next('message')).text, 'Salam');
  lena.send({ type: 'send', id: 'm3', to: 'தமிழ்', text: 'Vanakkam' });
  assert.equal((await lena.next('ack')).status, 'delivered');
  await tamil.waitFor('Lena: Vanakkam\n');
});

test('a name with a stray mark is refused in both dialects, the framed one naming the mark', async () => {
  const { port } = await relay();
  const framed = await FramedPeer.connect(port);
  framed.send({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Ma\u093Eria' });
  const error = await framed.next('error');
  assert.equal(error.code, 'name-invalid');
  assert.match(error.message, /U\+093E/);
  const course = await coursePeer(port, 'Bo\u0338b', true);
  await course.waitClosed();
  assert.match(course.text, /^Fehler: Ungültiger Name/);
});
