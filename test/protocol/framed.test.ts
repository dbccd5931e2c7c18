import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, encodeFrame, type DecodedLine } from '../../src/protocol/frameCodec';
import { parseClientFrame } from '../../src/protocol/clientFrameParser';
import { parseServerFrame } from '../../src/protocol/serverFrameParser';
import type { ClientFrame } from '../../src/protocol/frames';

const frames: ClientFrame[] = [
  { type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Zoë' },
  { type: 'send', id: 'a1', to: 'Bob', text: 'Grüezi 👋 a:b\nnew line' },
  {
    type: 'snippet',
    id: 'a2',
    to: 'Bob',
    snippet: { code: 'def f():\n    return "€"', language: 'python', file: 'main.py', lines: { start: 3, end: 4 } },
  },
  { type: 'broadcast', id: 'a3', text: 'Tipp: recv(1024)' },
  { type: 'ping', id: 'p' },
];
const wire = Buffer.concat(frames.map((frame) => encodeFrame(frame)));

const values = (lines: DecodedLine[]) =>
  lines.map((line) => {
    assert.equal(line.kind, 'json', JSON.stringify(line));
    return (line as { value: unknown }).value;
  });

test('frames survive a split at every byte boundary', () => {
  for (let cut = 0; cut <= wire.length; cut++) {
    const decoder = new FrameDecoder();
    const decoded = [...decoder.push(wire.subarray(0, cut)), ...decoder.push(wire.subarray(cut))];
    assert.deepEqual(values(decoded), frames, `cut at ${cut}`);
  }
});

test('frames arriving one byte per read decode in order', () => {
  const decoder = new FrameDecoder();
  const decoded: DecodedLine[] = [];
  for (const byte of wire) decoded.push(...decoder.push(Uint8Array.of(byte)));
  assert.deepEqual(values(decoded), frames);
});

test('many frames in one read all decode', () => {
  const many = Buffer.concat(
    Array.from({ length: 500 }, (_, index) =>
      encodeFrame({ type: 'send', id: `m${index}`, to: 'Bob', text: `${index}` }),
    ),
  );
  const decoded = values(new FrameDecoder().push(many)) as Array<{ id: string }>;
  assert.equal(decoded.length, 500);
  assert.equal(decoded[499]!.id, 'm499');
});

test('an oversized frame is reported once and the frames around it are kept', () => {
  const decoder = new FrameDecoder(100);
  const big = Buffer.from(`${JSON.stringify({ type: 'send', id: 'x', to: 'B', text: 'y'.repeat(300) })}\n`);
  const small = encodeFrame({ type: 'ping' });
  const decoded = [
    ...decoder.push(small),
    ...decoder.push(big.subarray(0, 150)),
    ...decoder.push(big.subarray(150)),
    ...decoder.push(small),
  ];
  assert.deepEqual(
    decoded.map((line) => (line.kind === 'json' ? 'json' : line.code)),
    ['json', 'frame-too-large', 'json'],
  );
  assert.equal(decoder.pendingBytes, 0);
});

test('a frame of invalid UTF-8 is reported and the next frame still decodes', () => {
  const decoder = new FrameDecoder();
  const decoded = decoder.push(
    Buffer.concat([
      Buffer.from('{"type":"ping","id":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
      encodeFrame({ type: 'pong' }),
    ]),
  );
  assert.deepEqual(
    decoded.map((line) => (line.kind === 'json' ? line.value : line.code)),
    ['invalid-utf8', { type: 'pong' }],
  );
});

test('a line that is not JSON is a bad frame; blank lines are ignored', () => {
  const decoded = new FrameDecoder().push(Buffer.from('hello there\n\n\r\n{"type":"ping"}\r\n'));
  assert.deepEqual(
    decoded.map((line) => (line.kind === 'json' ? line.value : line.code)),
    ['bad-frame', { type: 'ping' }],
  );
});

test('client frames are validated field by field with a specific message', () => {
  const cases: Array<[unknown, RegExp]> = [
    [[1, 2], /JSON object/],
    [{ type: 7 }, /"type" must be a string/],
    [{ type: 'send', id: 'a', to: 'Bob' }, /"text" must be a string/],
    [{ type: 'send', id: '', to: 'Bob', text: 'x' }, /"id" must not be empty/],
    [{ type: 'send', id: 'a'.repeat(65), to: 'Bob', text: 'x' }, /"id" is longer than 64/],
    [{ type: 'hello', protocol: 'classroom-relay', versions: [], name: 'A' }, /"versions"/],
    [{ type: 'hello', protocol: 'irc', versions: [1], name: 'A' }, /"protocol"/],
    [
      { type: 'snippet', id: 'a', to: 'B', snippet: { code: 'x', language: 'py', lines: { start: 5, end: 2 } } },
      /"lines"/,
    ],
  ];
  for (const [value, message] of cases) {
    const result = parseClientFrame(value);
    assert.equal(result.ok, false, JSON.stringify(value));
    assert.match((result as { message: string }).message, message);
  }
  const unknown = parseClientFrame({ type: 'teleport' });
  assert.deepEqual(unknown, { ok: false, code: 'unknown-type', message: 'unknown frame type "teleport"' });
});

test('every client frame kind parses back to itself', () => {
  for (const frame of frames)
    assert.deepEqual(parseClientFrame(JSON.parse(JSON.stringify(frame))), { ok: true, frame });
});

test('server frames with unknown extra fields still parse, for later protocol versions', () => {
  const result = parseServerFrame({
    type: 'message',
    from: 'Alice',
    text: 'hi',
    at: '2026-01-01T00:00:00Z',
    mood: 'happy',
  });
  assert.deepEqual(result, {
    ok: true,
    frame: { type: 'message', from: 'Alice', text: 'hi', at: '2026-01-01T00:00:00Z' },
  });
});
