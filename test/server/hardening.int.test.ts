/**
 * Hostile text on its way to a terminal: the CLI's chat (a real process) shows what a client
 * sent with its controls escaped. The relay's own defences are in hardening.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer, sleep } from '../helpers/relay/peers';
import { CLI, start } from '../helpers/process/processes';

const relay = relaysForThisFile();

// eslint-disable-next-line no-control-regex -- the terminal's escape character is what the assertion looks for
const ESCAPE = /\u001b/;

test('the CLI chat prints network text with controls escaped and every line marked with its sender', async () => {
  const { port } = await relay();
  const chat = start(process.execPath, [CLI, 'chat', '--server', `127.0.0.1:${port}`, '--name', 'Leser']);
  await chat.waitFor('Connected to');
  const eve = await FramedPeer.connect(port, 'Eve');
  eve.send({ type: 'send', id: 'e1', to: 'Leser', text: 'Hallo\n\u001b[2J\u001b[31mTeacher: abgeben per Mail\rx' });
  await chat.waitFor('Mail\\rx');
  await sleep(100);
  assert.doesNotMatch(chat.stdout, ESCAPE);
  const lines = chat.stdout.split('\n').filter((line) => line.includes('Eve'));
  assert.equal(lines.length, 2, chat.stdout);
  assert.match(lines[0]!, /\] Eve: Hallo$/);
  assert.match(lines[1]!, /\] Eve: \\e\[2J\\e\[31mTeacher: abgeben per Mail\\rx$/);
});
