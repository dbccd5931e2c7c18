/**
 * Properties of every decoder and encoder of src/protocol (names have their own), checked on
 * generated input. Hostile input is normal input: no decoder may throw, hold unbounded bytes,
 * or depend on where the reads happened to be cut.
 *
 * FUZZ_SEED=<n> repeats a run with another seed; FUZZ_RUNS=<n> checks more cases per property.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrameDecoder, encodeFrame, type DecodedLine } from '../../src/protocol/frameCodec';
import { parseClientFrame } from '../../src/protocol/clientFrameParser';
import { parseServerFrame } from '../../src/protocol/serverFrameParser';
import type { ClientFrame, ServerFrame, Snippet } from '../../src/protocol/frames';
import { CourseReader, type CourseChunk, type CourseFraming } from '../../src/protocol/courseReader';
import {
  addressedParts,
  forwardParts,
  parseAddressed,
  parseIncoming,
  snippetFromText,
  snippetToText,
} from '../../src/protocol/course';
import { parseServerAddress } from '../../src/protocol/address';
import { completeUtf8Length, splitUtf8, utf8Length } from '../../src/protocol/utf8';
import {
  COURSE_RECV_BYTES,
  MAX_COURSE_MESSAGE_BYTES,
  MAX_FILE_NAME_LENGTH,
  MAX_ID_LENGTH,
  MAX_LANGUAGE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SNIPPET_BYTES,
  MAX_TEXT_BYTES,
} from '../../src/protocol/limits';
import { fuzzSeed, reproduceWith } from '../helpers/fuzz/seed';

const SEED = fuzzSeed();
/** Cases per property, scaled by FUZZ_RUNS (default 300) for properties that need more or fewer. */
const DEFAULT_RUNS = 300;
const RUNS = Number(process.env.FUZZ_RUNS ?? DEFAULT_RUNS);

/** Checks a property with the run's seed; a failure says which seed reproduces it. */
function check<T>(property: fc.IProperty<T>, runs = DEFAULT_RUNS): void {
  try {
    fc.assert(property, { seed: SEED, numRuns: Math.max(1, Math.round((runs * RUNS) / DEFAULT_RUNS)) });
  } catch (error) {
    throw new Error(`${reproduceWith(SEED)}\n${(error as Error).message}`, { cause: error });
  }
}

const encoder = new TextEncoder();
/** Bytes as the engine's encoder counts them: the reference the code under test must match. */
const bytesOf = (text: string) => encoder.encode(text).length;

// ---- generators ----

/** Characters that tend to break parsers: line ends, quotes, escapes, controls, multi-byte and lone surrogates. */
const trickyChar = fc.constantFrom(
  '\n',
  '\r',
  '\r\n',
  ' ',
  '\t',
  '"',
  '\\',
  '{',
  '}',
  ':',
  ': ',
  '`',
  '```',
  '\u0000',
  '\u001b',
  '\u0085',
  '\u2028',
  '\u202e',
  'ä',
  'Ü',
  'ß',
  '€',
  '😀',
  '👋🏽',
  '\ud800',
  '\udfff',
  '\ufeff',
);
/** Any text: graphemes of every script, arbitrary UTF-16 units (lone surrogates too), tricky characters. */
const anyText = (maxPieces = 40) =>
  fc
    .array(
      fc.oneof(
        trickyChar,
        fc.string({ unit: 'grapheme', maxLength: 6 }),
        fc.string({ unit: 'binary', maxLength: 6 }),
        fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
      ),
      { maxLength: maxPieces },
    )
    .map((pieces) => pieces.join(''));
/** Text that is valid Unicode (no lone surrogates), as it arrives after UTF-8 decoding. */
const wellFormedText = (maxPieces = 40) => anyText(maxPieces).filter((text) => loneSurrogates(text) === 0);
/** Text of at most `maxBytes` UTF-8 bytes. */
const textUpTo = (maxBytes: number, maxPieces = 40) => anyText(maxPieces).filter((text) => bytesOf(text) <= maxBytes);
const nonEmptyTextUpTo = (maxBytes: number) => textUpTo(maxBytes, 16).filter((text) => text.length > 0);
/** Names as a registered peer may have them: letters of several scripts, up to 32 characters. */
const nameLike = fc.string({
  unit: fc.constantFrom('A', 'z', 'ä', 'Ö', 'ß', 'Ж', 'λ', '中', '𝒜', '_', '.', '-', '0'),
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
});
const safeInt = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const positiveInt = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
/** Objects with the keys of `model`, those not in `requiredKeys` sometimes left out. */
function record<T, K extends keyof T & string>(
  model: { [P in keyof T]: fc.Arbitrary<T[P]> },
  requiredKeys: K[],
): fc.Arbitrary<Pick<T, K> & Partial<T>> {
  return fc.record(model, { requiredKeys, noNullPrototype: true }) as unknown as fc.Arbitrary<Pick<T, K> & Partial<T>>;
}
const lineRange = fc
  .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.nat({ max: 1000 }))
  .map(([start, extra]) => ({ start, end: start + extra }));
const snippetArb = (codeBytes: number): fc.Arbitrary<Snippet> =>
  record(
    {
      code: textUpTo(codeBytes, 60),
      language: textUpTo(MAX_LANGUAGE_LENGTH, 8),
      file: textUpTo(MAX_FILE_NAME_LENGTH, 20),
      lines: lineRange,
    },
    ['code', 'language'],
  );

const clientFrameArb: fc.Arbitrary<ClientFrame> = fc.oneof(
  record(
    {
      type: fc.constant('hello' as const),
      protocol: fc.constant('classroom-relay' as const),
      versions: fc.array(safeInt, { minLength: 1, maxLength: 5 }),
      name: textUpTo(4 * MAX_NAME_LENGTH, 16),
      client: textUpTo(100, 10),
    },
    ['type', 'protocol', 'versions', 'name'],
  ),
  record(
    {
      type: fc.constant('send' as const),
      id: nonEmptyTextUpTo(MAX_ID_LENGTH),
      to: textUpTo(4 * MAX_NAME_LENGTH, 16),
      text: textUpTo(MAX_TEXT_BYTES, 80),
    },
    ['type', 'id', 'to', 'text'],
  ),
  record(
    {
      type: fc.constant('snippet' as const),
      id: nonEmptyTextUpTo(MAX_ID_LENGTH),
      to: textUpTo(4 * MAX_NAME_LENGTH, 16),
      snippet: snippetArb(MAX_SNIPPET_BYTES),
    },
    ['type', 'id', 'to', 'snippet'],
  ),
  record(
    {
      type: fc.constant('broadcast' as const),
      id: nonEmptyTextUpTo(MAX_ID_LENGTH),
      text: textUpTo(MAX_TEXT_BYTES, 80),
    },
    ['type', 'id', 'text'],
  ),
  record({ type: fc.constantFrom('ping' as const, 'pong' as const), id: nonEmptyTextUpTo(MAX_ID_LENGTH) }, ['type']),
);

const at = textUpTo(64, 8);
const limitsArb = record(
  { frameBytes: positiveInt, textBytes: positiveInt, snippetBytes: positiveInt, nameLength: positiveInt },
  ['frameBytes', 'textBytes', 'snippetBytes', 'nameLength'],
);
const serverFrameArb: fc.Arbitrary<ServerFrame> = fc.oneof(
  record(
    {
      type: fc.constant('welcome' as const),
      version: safeInt,
      name: textUpTo(4 * MAX_NAME_LENGTH, 16),
      online: fc.array(anyText(8), { maxLength: 20 }),
      limits: limitsArb,
      server: textUpTo(100, 10),
    },
    ['type', 'version', 'name', 'online', 'limits', 'server'],
  ),
  record(
    {
      type: fc.constantFrom('message' as const, 'broadcast' as const),
      from: textUpTo(1024, 16),
      text: textUpTo(MAX_TEXT_BYTES, 80),
      at,
      id: nonEmptyTextUpTo(MAX_ID_LENGTH),
    },
    ['type', 'from', 'text', 'at'],
  ),
  record(
    {
      type: fc.constant('snippet' as const),
      from: textUpTo(1024, 16),
      snippet: snippetArb(MAX_SNIPPET_BYTES),
      at,
      id: nonEmptyTextUpTo(MAX_ID_LENGTH),
    },
    ['type', 'from', 'snippet', 'at'],
  ),
  record(
    {
      type: fc.constant('ack' as const),
      id: nonEmptyTextUpTo(MAX_ID_LENGTH),
      status: fc.constantFrom('delivered' as const, 'unknown-peer' as const, 'rejected' as const),
      reason: fc.constantFrom(
        'too-large' as const,
        'invalid-recipient' as const,
        'recipient-busy' as const,
        'not-allowed' as const,
      ),
      detail: textUpTo(1024, 20),
      recipients: safeInt,
      duplicate: fc.constant(true as const),
    },
    ['type', 'id', 'status'],
  ),
  record(
    {
      type: fc.constant('presence' as const),
      event: fc.constantFrom('join' as const, 'leave' as const),
      name: textUpTo(1024, 16),
    },
    ['type', 'event', 'name'],
  ),
  record(
    {
      type: fc.constant('error' as const),
      code: fc.constantFrom('bad-frame' as const, 'name-taken' as const, 'server-shutdown' as const),
      message: textUpTo(4096, 30),
      fatal: fc.boolean(),
      supported: fc.array(safeInt, { maxLength: 4 }),
    },
    ['type', 'code', 'message', 'fatal'],
  ),
  record({ type: fc.constantFrom('ping' as const, 'pong' as const), id: nonEmptyTextUpTo(MAX_ID_LENGTH) }, ['type']),
);

/** Bytes as a hostile or broken peer sends them: noise, line ends, frame pieces, partial UTF-8 sequences. */
const wireBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.constantFrom(
        ...[
          [0x0a],
          [0x0d, 0x0a],
          [0x7b],
          [0xc3],
          [0xa4],
          [0xf0, 0x9f],
          [0x98, 0x80],
          [0xed, 0xa0, 0x80],
          [0xff],
          [0x00],
        ].map((bytes) => Uint8Array.from(bytes)),
      ),
      clientFrameArb.map((frame) => encodeFrame(frame)),
      fc.json().map((json) => encoder.encode(`${json}\n`)),
    ),
    { maxLength: 30 },
  )
  .map(concat);

/** Cut points that split `bytes` into reads, as TCP may. */
const cuts = fc.array(fc.nat(), { maxLength: 12 });

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

function split(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const reads: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    reads.push(bytes.subarray(start, point));
    start = point;
  }
  return reads;
}

const LOWER_SURROGATE = /^[\udc00-\udfff]/;
/** Lone surrogates in `text`: UTF-16 units that are not half of a pair. */
function loneSurrogates(text: string): number {
  return text.match(/\p{Cs}/gu)?.length ?? 0;
}

// ---- framed protocol: FrameDecoder ----

test('FrameDecoder never throws on arbitrary bytes in arbitrary reads, and holds at most one frame', () => {
  check(
    fc.property(wireBytes, cuts, fc.integer({ min: 8, max: 512 }), (bytes, at, maxFrameBytes) => {
      const decoder = new FrameDecoder(maxFrameBytes);
      for (const read of split(bytes, at)) {
        for (const line of decoder.push(read)) {
          if (line.kind === 'json')
            assert.ok(line.bytes <= maxFrameBytes, `a ${line.bytes}-byte frame passed a ${maxFrameBytes}-byte limit`);
          else assert.ok(['frame-too-large', 'invalid-utf8', 'bad-frame'].includes(line.code), line.code);
        }
        assert.ok(
          decoder.pendingBytes <= maxFrameBytes,
          `holds ${decoder.pendingBytes} bytes with a limit of ${maxFrameBytes}`,
        );
      }
    }),
  );
});

test('FrameDecoder gives the same lines whatever the read boundaries', () => {
  check(
    fc.property(wireBytes, cuts, fc.integer({ min: 8, max: 512 }), (bytes, at, maxFrameBytes) => {
      const whole = new FrameDecoder(maxFrameBytes).push(bytes);
      const decoder = new FrameDecoder(maxFrameBytes);
      const pieces = split(bytes, at).flatMap((read) => decoder.push(read));
      assert.deepEqual(pieces, whole);
    }),
  );
});

test('FrameDecoder reports an oversized frame once and keeps the frames around it', () => {
  const maxFrameBytes = 4096;
  const small = clientFrameArb.map((frame) => encodeFrame(frame)).filter((bytes) => bytes.length <= maxFrameBytes);
  const oversized = fc.uint8Array({ minLength: maxFrameBytes, maxLength: 3 * maxFrameBytes }).map((bytes) => {
    const line = bytes.map((byte) => (byte === 0x0a ? 0x20 : byte));
    return concat([line, Uint8Array.of(0x0a)]);
  });
  check(
    fc.property(
      fc.array(small, { maxLength: 6 }),
      fc.array(small, { maxLength: 6 }),
      oversized,
      cuts,
      (before, after, big, at) => {
        const decoder = new FrameDecoder(maxFrameBytes);
        const lines = split(concat([...before, big, ...after]), at).flatMap((read) => decoder.push(read));
        const expected = [...before.map(decodeOne), 'frame-too-large', ...after.map(decodeOne)];
        assert.deepEqual(
          lines.map((line) => (line.kind === 'json' ? line.value : line.code)),
          expected,
        );
        assert.equal(decoder.pendingBytes, 0);
      },
    ),
    100,
  );
});

function decodeOne(bytes: Uint8Array): unknown {
  const lines = new FrameDecoder().push(bytes);
  assert.equal(lines.length, 1);
  return (lines[0] as Extract<DecodedLine, { kind: 'json' }>).value;
}

// ---- framed protocol: parsing and round trips ----

const CLIENT_TYPES = ['hello', 'send', 'snippet', 'broadcast', 'ping', 'pong'];
const SERVER_TYPES = ['welcome', 'message', 'snippet', 'broadcast', 'ack', 'presence', 'error', 'ping', 'pong'];
const FIELD_NAMES = [
  'id',
  'to',
  'text',
  'name',
  'protocol',
  'versions',
  'client',
  'snippet',
  'code',
  'language',
  'file',
  'lines',
  'start',
  'end',
  'from',
  'at',
  'online',
  'limits',
  'frameBytes',
  'version',
  'server',
  'status',
  'reason',
  'detail',
  'recipients',
  'duplicate',
  'event',
  'message',
  'fatal',
  'supported',
  '__proto__',
  'constructor',
  'toString',
  'type',
];

/** Any JSON value, the way JSON.parse hands it over (own "__proto__" keys included). */
const parsedJson = fc
  .jsonValue({ maxDepth: 4, stringUnit: 'binary' })
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown);
/** Objects of a known type whose other fields are random: near misses of valid frames. */
const nearFrame = (types: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...types),
      fc.dictionary(
        fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()),
        fc.oneof(parsedJson, fc.jsonValue({ maxDepth: 2 })),
        { maxKeys: 8 },
      ),
    )
    .map(([type, fields]) => JSON.parse(JSON.stringify({ ...fields, type })) as unknown);
/** A valid frame with one field replaced by a random value. */
const mutated = <F extends object>(frames: fc.Arbitrary<F>) =>
  fc
    .tuple(frames, fc.constantFrom(...FIELD_NAMES), parsedJson)
    .map(
      ([frame, key, value]) =>
        JSON.parse(JSON.stringify({ ...frame, [key]: value, type: (frame as { type: string }).type })) as unknown,
    );

for (const [name, parse, types, frames] of [
  ['parseClientFrame', parseClientFrame, CLIENT_TYPES, clientFrameArb],
  ['parseServerFrame', parseServerFrame, SERVER_TYPES, serverFrameArb],
] as const) {
  test(`${name} never throws on any JSON value and answers bad-frame or unknown-type`, () => {
    check(
      fc.property(fc.oneof(parsedJson, nearFrame(types), mutated(frames as fc.Arbitrary<object>)), (value) => {
        const result = (parse as (value: unknown) => ReturnType<typeof parseClientFrame>)(value);
        if (!result.ok) {
          assert.ok(result.code === 'bad-frame' || result.code === 'unknown-type', result.code);
          assert.equal(typeof result.message, 'string');
          return;
        }
        // What it accepted is a frame in its own right: encoding and parsing it again changes nothing.
        const again = (parse as (value: unknown) => ReturnType<typeof parseClientFrame>)(
          JSON.parse(JSON.stringify(result.frame)),
        );
        assert.deepEqual(again, result);
      }),
      1000,
    );
  });
}

test('every valid client frame encodes with encodeFrame and decodes back equal', () => {
  check(
    fc.property(clientFrameArb, cuts, (frame, at) => {
      const bytes = encodeFrame(frame);
      const decoder = new FrameDecoder();
      const lines = split(bytes, at).flatMap((read) => decoder.push(read));
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!.kind, 'json', JSON.stringify(lines[0]));
      assert.deepEqual(parseClientFrame((lines[0] as { value: unknown }).value), { ok: true, frame });
    }),
  );
});

test('every valid server frame encodes with encodeFrame and decodes back equal', () => {
  check(
    fc.property(serverFrameArb, cuts, (frame, at) => {
      const bytes = encodeFrame(frame);
      const decoder = new FrameDecoder();
      const lines = split(bytes, at).flatMap((read) => decoder.push(read));
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!.kind, 'json', JSON.stringify(lines[0]));
      assert.deepEqual(parseServerFrame((lines[0] as { value: unknown }).value), { ok: true, frame });
    }),
  );
});

// ---- course dialect: CourseReader ----

type ReaderStep = { kind: 'read'; cut: number } | { kind: 'pause' } | { kind: 'hang-up' };
const readerSteps = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.nat().map((cut): ReaderStep => ({ kind: 'read', cut })) },
    { weight: 2, arbitrary: fc.constant<ReaderStep>({ kind: 'pause' }) },
    { weight: 1, arbitrary: fc.constant<ReaderStep>({ kind: 'hang-up' }) },
  ),
  { maxLength: 16 },
);
const framings = fc.constantFrom<CourseFraming>('undecided', 'line', 'pause');

test('CourseReader never throws on arbitrary bytes, reads and pauses, and holds at most one message', () => {
  check(
    fc.property(
      wireBytes,
      readerSteps,
      framings,
      fc.integer({ min: 1, max: 256 }),
      (bytes, steps, framing, maxBytes) => {
        const reader = new CourseReader(maxBytes, framing);
        let offset = 0;
        const seen: CourseChunk[] = [];
        for (const step of [...steps, { kind: 'read', cut: bytes.length } as const]) {
          if (step.kind === 'read') {
            const end = Math.max(offset, step.cut % (bytes.length + 1));
            seen.push(...reader.push(bytes.subarray(offset, end)));
            offset = end;
          } else {
            seen.push(...reader.flush(step.kind === 'hang-up').chunks);
          }
          assert.ok(reader.pendingBytes <= maxBytes, `holds ${reader.pendingBytes} bytes with a limit of ${maxBytes}`);
        }
        for (const chunk of seen) {
          if (chunk.kind === 'text') assert.ok(bytesOf(chunk.text) <= maxBytes && chunk.text.length > 0);
        }
      },
    ),
  );
});

test('CourseReader in line mode gives the same messages whatever the read boundaries', () => {
  check(
    fc.property(
      wireBytes,
      cuts,
      fc.constantFrom<CourseFraming>('undecided', 'line'),
      fc.integer({ min: 1, max: 512 }),
      (bytes, at, framing, maxBytes) => {
        const whole = new CourseReader(maxBytes, framing).push(bytes);
        const reader = new CourseReader(maxBytes, framing);
        assert.deepEqual(
          split(bytes, at).flatMap((read) => reader.push(read)),
          whole,
        );
      },
    ),
  );
});

test('CourseReader holds back a message that pauses inside a UTF-8 character until the character is complete', () => {
  const text = wellFormedText(30).filter((value) => !/[\r\n]/.test(value) && value.length > 0);
  check(
    fc.property(text, cuts, (message, at) => {
      const reader = new CourseReader(MAX_COURSE_MESSAGE_BYTES, 'pause');
      const chunks: CourseChunk[] = [];
      for (const read of split(encoder.encode(message), at)) {
        chunks.push(...reader.push(read));
        chunks.push(...reader.flush().chunks); // a pause after every read
      }
      const last = reader.flush();
      assert.equal(last.waitingForCharacter, false);
      chunks.push(...last.chunks);
      assert.ok(
        chunks.every((chunk) => chunk.kind === 'text'),
        JSON.stringify(chunks),
      );
      assert.equal(chunks.map((chunk) => (chunk as { text: string }).text).join(''), message);
    }),
  );
});

// ---- UTF-8 ----

test('utf8Length counts what TextEncoder writes, lone surrogates as U+FFFD', () => {
  check(
    fc.property(fc.oneof(anyText(), anyText(200), fc.string({ unit: 'binary' })), (text) => {
      assert.equal(utf8Length(text), bytesOf(text));
    }),
    2000,
  );
});

test('utf8Length counts a surrogate pair as 4 bytes and a lone surrogate as 3', () => {
  // A counting shortcut once took the pair's two UTF-16 units for 2 bytes.
  assert.equal(utf8Length('\u{10000}'), 4);
  assert.equal(utf8Length('a😀b'), 6);
  assert.equal(utf8Length('\ud800'), 3);
  assert.equal(utf8Length('\udc00\ud800'), 6);
  assert.equal(utf8Length('x'.repeat(300) + '😀'), 304);
});

test('splitUtf8 parts stay within maxBytes, join to the input, create no lone surrogates, and end early only at a break', () => {
  check(
    fc.property(
      fc.oneof(anyText(), anyText(300)),
      fc.oneof(fc.integer({ min: 4, max: 40 }), fc.integer({ min: 4, max: 2000 })),
      (text, maxBytes) => {
        const parts = splitUtf8(text, maxBytes);
        assert.equal(parts.join(''), text);
        assert.ok(parts.length >= 1);
        assert.equal(
          parts.reduce((sum, part) => sum + loneSurrogates(part), 0),
          loneSurrogates(text),
          'a surrogate pair was cut',
        );
        parts.forEach((part, index) => {
          assert.ok(bytesOf(part) <= maxBytes, `part ${index} has ${bytesOf(part)} bytes, more than ${maxBytes}`);
          if (text !== '') assert.ok(part.length > 0, `part ${index} is empty`);
          const next = parts[index + 1];
          if (next === undefined) return;
          const nextChar = String.fromCodePoint(next.codePointAt(0)!);
          const full =
            bytesOf(part + (nextChar.length === 2 || !LOWER_SURROGATE.test(nextChar) ? nextChar : '\ufffd')) > maxBytes;
          assert.ok(
            full || part.endsWith(' ') || part.endsWith('\n'),
            `part ${index} ends early without a break: ${JSON.stringify(part.slice(-10))} | ${JSON.stringify(next.slice(0, 10))}`,
          );
        });
      },
    ),
    1000,
  );
});

test('completeUtf8Length is the last character boundary of any cut of valid UTF-8, and stays near the end of any bytes', () => {
  check(
    fc.property(wellFormedText(30), fc.nat(), (text, cutSeed) => {
      const bytes = encoder.encode(text);
      const cut = cutSeed % (bytes.length + 1);
      const boundaries = [0];
      for (const char of text) boundaries.push(boundaries.at(-1)! + bytesOf(char));
      const expected = Math.max(...boundaries.filter((boundary) => boundary <= cut));
      assert.equal(completeUtf8Length(bytes.subarray(0, cut)), expected);
    }),
    1000,
  );
  check(
    fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
      const length = completeUtf8Length(bytes);
      assert.ok(length <= bytes.length && length >= bytes.length - 3 && length >= 0, `${length} of ${bytes.length}`);
    }),
    1000,
  );
});

// ---- course dialect: messages and snippets ----

test('addressedParts and forwardParts: every part fits one recv(1024), and every forwarded line carries its sender and no control character', () => {
  const text = fc.oneof(anyText(), anyText(400), fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 6000 }));
  check(
    fc.property(nameLike, text, (name, message) => {
      const addressed = addressedParts(name, message);
      for (const part of addressed) {
        assert.ok(bytesOf(part) <= COURSE_RECV_BYTES, `an addressed part has ${bytesOf(part)} bytes`);
        assert.ok(part.startsWith(`${name}:`));
      }
      assert.equal(addressed.map((part) => part.slice(name.length + 1)).join(''), message);
      for (const part of forwardParts(name, message)) {
        assert.ok(bytesOf(part) <= COURSE_RECV_BYTES, `a forwarded part has ${bytesOf(part)} bytes`);
        // No line can pass for another sender's, and nothing acts on the recipient's terminal.
        for (const line of part.split('\n'))
          assert.ok(
            line.startsWith(`${name}: `),
            `a forwarded line without its sender: ${JSON.stringify(line.slice(0, 40))}`,
          );
        assert.ok(
          // eslint-disable-next-line no-control-regex -- the controls are what must not reach a course client
          !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(part),
          `a control character reaches the course client: ${JSON.stringify(part.slice(0, 60))}`,
        );
      }
    }),
    500,
  );
});

/**
 * What a course message can carry as a snippet: a language without spaces or backticks, a
 * one-line file name that does not itself end in ":n-m" (it would read as the lines), code
 * without CR (course text is read with CRLF as LF).
 */
const courseSnippet: fc.Arbitrary<Snippet> = record(
  {
    code: anyText(60).filter((code) => !code.includes('\r')),
    language: fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .filter((language) => /^[^\s`]+$/u.test(language)),
    file: anyText(10).filter((file) => file !== '' && !/[\r\n]/.test(file) && !/:\d+-\d+$/.test(file)),
    lines: lineRange,
  },
  ['code', 'language', 'file'],
);

test('snippetToText and snippetFromText round-trip every snippet a course message can carry', () => {
  check(
    fc.property(
      fc.oneof(
        courseSnippet,
        courseSnippet.map(({ lines: _lines, ...rest }) => rest),
      ),
      (snippet) => {
        assert.deepEqual(snippetFromText(snippetToText(snippet)), snippet);
      },
    ),
    1000,
  );
});

test('every snippet reaches a course peer as text that reads back as a snippet with the same code', () => {
  const anySnippet = record(
    {
      code: anyText(60).filter((code) => !code.includes('\r')),
      language: textUpTo(MAX_LANGUAGE_LENGTH, 8),
      file: anyText(10).filter((file) => !/[\r\n]/.test(file)),
      lines: lineRange,
    },
    ['code', 'language'],
  );
  check(
    fc.property(anySnippet, (snippet) => {
      const back = snippetFromText(snippetToText(snippet));
      assert.ok(back !== undefined, `not read back as a snippet: ${JSON.stringify(snippetToText(snippet))}`);
      assert.equal(back.code, snippet.code);
    }),
    1000,
  );
});

test('a snippet whose language holds a backtick still reads back as a snippet', () => {
  // The language went into the fence's info string as it was, and a backtick there ends the fence.
  assert.deepEqual(snippetFromText(snippetToText({ code: 'int x;', language: 'c`' })), {
    code: 'int x;',
    language: 'c',
  });
});

test('the course-dialect and address parsers never throw on any text', () => {
  check(
    fc.property(fc.oneof(anyText(), anyText(200)), (text) => {
      parseAddressed(text);
      parseIncoming(text);
      parseServerAddress(text);
      snippetFromText(text);
    }),
    1000,
  );
});
