import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBody } from '../../bench/sideBySide/body';
import { CODECS, floorRecord, type Incoming } from '../../bench/sideBySide/codecs';
import type { Dialect } from '../../bench/sideBySide/jobs';

function read(dialect: Dialect, index: number, chunks: Array<string | Buffer>, channel = false): Incoming[] {
  const items: Incoming[] = [];
  const parser = CODECS[dialect].parser(index, { channel }, (item) => items.push(item));
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  parser.end();
  return items;
}

const a = encodeBody({ from: 3, to: 5, seq: 0, sentUs: 10 }, 64);
const b = encodeBody({ from: 7, to: 5, seq: 0, sentUs: 11 }, 64);

test('pause mode cuts a read holding two messages at the second sender, and waits for a body cut in half', () => {
  const items = read('course-pause', 5, [`c3: ${a}c7: ${b.slice(0, 20)}`, b.slice(20)]);
  assert.deepEqual(items, [
    { kind: 'message', from: 3, text: a },
    { kind: 'message', from: 7, text: b },
  ]);
});

test("a course client's own probe registers it; a probe from another is a message", () => {
  assert.deepEqual(read('course-line', 5, ['c5: probe\nc4: probe\n']), [
    { kind: 'registered' },
    { kind: 'message', from: 4, text: 'probe' },
  ]);
});

test("the course relay's not-found answer without a newline is taken out before the next message", () => {
  const items = read('course-python', 5, [`Empfänger c9 nicht gefunden.c3: ${a}\n`]);
  assert.deepEqual(items, [
    { kind: 'refused', detail: 'Empfänger c9 nicht gefunden.' },
    { kind: 'message', from: 3, text: a },
  ]);
});

test('a coalesced course message arrives as a line without the sender prefix: garbled', () => {
  const items = read('course-python', 5, [`c3: ${a}\nc5:${b}\n`]);
  assert.deepEqual(items[1], { kind: 'garbled', text: `c5:${b}` });
});

test('IRC: a PRIVMSG names its sender, 001 registers, a PING is answered, and in channel mode the own JOIN registers', () => {
  const lines = [`:c3!~c3@localhost PRIVMSG c5 :${a}\r\n`, ':bench.invalid 001 c5 :Welcome\r\n', 'PING :x\r\n'];
  assert.deepEqual(read('irc', 5, lines), [
    { kind: 'message', from: 3, text: a },
    { kind: 'registered' },
    { kind: 'reply', bytes: 'PONG :x\r\n' },
  ]);
  const joined = read(
    'irc',
    5,
    [':s 001 c5 :Welcome\r\n', ':c4!~c4@h JOIN :#bench\r\n', ':c5!~c5@h JOIN :#bench\r\n'],
    true,
  );
  assert.deepEqual(joined, [{ kind: 'reply', bytes: 'JOIN #bench\r\n' }, { kind: 'registered' }]);
});

test('framed: the welcome registers, a message and a hint name their sender, acks are told by their status', () => {
  const frames = [
    '{"type":"welcome"}\n{"type":"message","from":"c3","text":"hi"}\n{"type":"broadcast","from":"c9"',
    ',"text":"all"}\n{"type":"ack","id":"m1","status":"rejected","reason":"rate-limited"}\n',
    '{"type":"ack","id":"m2","status":"delivered"}\n',
  ];
  assert.deepEqual(read('framed', 5, frames), [
    { kind: 'registered' },
    { kind: 'message', from: 3, text: 'hi' },
    { kind: 'message', from: 9, text: 'all' },
    { kind: 'refused', detail: 'rejected rate-limited' },
    { kind: 'acked', id: 'm2' },
  ]);
});

test('floor records are cut by their length, also across reads', () => {
  const bytes = Buffer.concat([floorRecord(0xfffe, '5'), floorRecord(5, a), floorRecord(5, b)]);
  const items = read('floor', 5, [bytes.subarray(0, 40), bytes.subarray(40)]);
  assert.deepEqual(items, [
    { kind: 'registered' },
    { kind: 'message', from: undefined, text: a },
    { kind: 'message', from: undefined, text: b },
  ]);
});

test('bytes left over when a connection ends are garbled', () => {
  assert.equal(read('course-line', 5, ['c3: half a line']).at(-1)?.kind, 'garbled');
});
