/**
 * What a framed recipient gets is the same line, byte for byte, whether the envelope is encoded
 * once for many recipients with each one's number written in, or encoded whole for each; and the
 * time a message carries is the time of its millisecond.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { frameText } from '../../../src/protocol/frameCodec';
import type { Envelope } from '../../../src/server/routing/peer';
import { envelopeText } from '../../../src/server/sessions/envelopeText';
import { isoTime } from '../../../src/server/sessions/timeText';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { RawPeer } from '../../helpers/relay/peers';

const relay = relaysForThisFile();

const AT = '2026-09-01T08:00:00.000Z';
const envelopes: Envelope[] = [
  { type: 'message', from: 'Anna', text: 'Hallo "Ben"\n\u2028 ✓ 𝄞 \u0007', at: AT, id: 'm1' },
  { type: 'message', from: 'Frau Keller', text: 'Gut gemacht', at: AT, id: 'm2', teacher: true },
  {
    type: 'snippet',
    from: 'Ben',
    snippet: { code: 'print("hi")', language: 'python', file: 'a.py' },
    at: AT,
    id: 's1',
  },
  {
    type: 'broadcast',
    from: 'Frau Keller',
    text: '[python code from greet.py, 3 lines]',
    snippet: { code: 'a\nb\nc', language: 'python', file: 'greet.py', lines: { start: 1, end: 3 } },
    at: AT,
    id: 'b1',
    teacher: true,
  },
  { type: 'message', from: 'Kurs', text: '', at: AT },
];

test('a numbered message is the line its envelope with the number would encode to, for every recipient', () => {
  for (const envelope of envelopes)
    for (const seq of [1, 2, 1234567, undefined])
      assert.equal(
        envelopeText(envelope, seq),
        frameText(seq === undefined ? envelope : { ...envelope, seq }),
        JSON.stringify(envelope),
      );
});

test('recipients in turn, and messages in between, each get their own line', () => {
  const [first, second] = envelopes;
  assert.equal(envelopeText(first!, 1), frameText({ ...first!, seq: 1 }));
  assert.equal(envelopeText(second!, 7), frameText({ ...second!, seq: 7 }));
  assert.equal(envelopeText(first!, 2), frameText({ ...first!, seq: 2 }));
});

test("a message's time is its millisecond's, in ISO 8601 UTC", () => {
  for (const now of [0, 1, 1, 1_788_249_600_123, 1_788_249_600_123, 1_788_249_600_124])
    assert.equal(isoTime(now), new Date(now).toISOString());
  const before = Date.now();
  const at = Date.parse(isoTime());
  assert.ok(at >= before && at <= Date.now());
});

test('on the wire, an ack and a message are the lines their frames encode to, byte for byte', async () => {
  const { port } = await relay();
  const hello = (name: string) => `{"type":"hello","protocol":"classroom-relay","versions":[1],"name":"${name}"}\n`;
  const anna = await RawPeer.connect(port);
  const ben = await RawPeer.connect(port);
  anna.write(hello('Anna'));
  ben.write(hello('Ben'));
  await anna.waitFor('"welcome"');
  await ben.waitFor('"welcome"');
  const id = 'i"\\d\u2028é';
  const text = 'Grüsse "aus" Bern \u0001 ✓';
  anna.write(`${JSON.stringify({ type: 'send', id, to: 'ben', text })}\n`);
  const lines = (peer: RawPeer) => peer.text.split('\n');
  await anna.waitFor('"ack"');
  await ben.waitFor('"message"');
  const ack = lines(anna).find((line) => line.includes('"ack"'))!;
  assert.equal(`${ack}\n`, frameText({ type: 'ack', id, status: 'delivered' }));
  const message = lines(ben).find((line) => line.includes('"message"'))!;
  const { at } = JSON.parse(message) as { at: string };
  assert.equal(`${message}\n`, frameText({ type: 'message', from: 'Anna', text, at, id, seq: 1 }));
  anna.close();
  ben.close();
});

test('every envelope, of any shape the relay makes or not, is the line JSON.stringify makes of it', () => {
  const strings = fc.string({
    unit: fc.constantFrom('a', 'ä', '"', '\\', '\n', '\u0001', '\u2028', '𝄞', '\ud800', ' '),
  });
  const message = fc.record(
    {
      type: fc.constant('message' as const),
      from: strings,
      text: strings,
      at: strings,
      id: strings,
      teacher: fc.constant(true as const),
    },
    { requiredKeys: ['type', 'from', 'text', 'at'] },
  );
  fc.assert(
    fc.property(message, fc.option(fc.nat(), { nil: undefined }), (envelope, seq) => {
      assert.equal(envelopeText(envelope, seq), frameText(seq === undefined ? envelope : { ...envelope, seq }));
    }),
    { numRuns: 3000 },
  );
  // Keys in another order, or of another kind, take the long way and come out the same.
  const shuffled = { at: AT, type: 'message', text: 'x', from: 'Anna', id: 'i' } as Envelope;
  assert.equal(envelopeText(shuffled, 3), frameText({ ...shuffled, seq: 3 }));
  const odd = { type: 'message', from: 'Anna', text: 'x', at: AT, id: undefined } as unknown as Envelope;
  assert.equal(envelopeText(odd, 3), frameText({ ...odd, seq: 3 }));
});
