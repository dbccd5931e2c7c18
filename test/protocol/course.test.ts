import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressedParts,
  forwardParts,
  parseAddressed,
  parseIncoming,
  snippetFromText,
  snippetToText,
} from '../../src/protocol/course';
import { CourseReader } from '../../src/protocol/courseReader';
import { completeUtf8Length, splitUtf8, utf8Length } from '../../src/protocol/utf8';
import { checkName } from '../../src/protocol/names';
import { parseServerAddress } from '../../src/protocol/address';

test('a course message splits at the first colon, so text keeps its colons', () => {
  assert.deepEqual(parseAddressed('Bob:Zeit: 10:15'), { to: 'Bob', text: 'Zeit: 10:15' });
  assert.equal(parseAddressed('no recipient'), undefined);
});

test('incoming course lines are told apart: message, not found, send failed, notice', () => {
  assert.deepEqual(parseIncoming('Alice: Hallo: Bob'), { kind: 'message', from: 'Alice', text: 'Hallo: Bob' });
  assert.deepEqual(parseIncoming('Alice\n: Hallo'), { kind: 'message', from: 'Alice', text: 'Hallo' });
  assert.deepEqual(parseIncoming('Empfänger Bob nicht gefunden.'), { kind: 'not-found', recipient: 'Bob' });
  assert.deepEqual(parseIncoming('Fehler beim Senden an Bob.'), { kind: 'send-failed', recipient: 'Bob' });
  assert.deepEqual(parseIncoming('Willkommen'), { kind: 'notice', text: 'Willkommen' });
});

test('long texts are split into addressed parts within 1024 bytes at character boundaries', () => {
  const text = 'Grüße 👋🏽 aus Zürich. '.repeat(200);
  const parts = addressedParts('Bob', text);
  assert.ok(parts.length > 1);
  for (const part of parts) {
    assert.ok(utf8Length(part) <= 1024, `part of ${utf8Length(part)} bytes`);
    assert.ok(part.startsWith('Bob:'));
    assert.doesNotMatch(part, /\uFFFD/);
  }
  assert.equal(parts.map((part) => part.slice(4)).join(''), text);
  const forwarded = forwardParts('Alice', text);
  for (const part of forwarded) assert.ok(utf8Length(part) <= 1024 && part.startsWith('Alice: '));
});

test('splitting never cuts a surrogate pair or a multi-byte character', () => {
  const text = '€😀a'.repeat(50);
  for (let max = 4; max < 20; max++) {
    const parts = splitUtf8(text, max);
    assert.equal(parts.join(''), text);
    for (const part of parts) assert.ok(utf8Length(part) <= max && !/[\uD800-\uDBFF]$/.test(part));
  }
});

test('an incomplete UTF-8 tail is held back for the next read', () => {
  const bytes = Buffer.from('aü€😀');
  for (let cut = 0; cut <= bytes.length; cut++) {
    const keep = completeUtf8Length(bytes.subarray(0, cut));
    assert.ok(Buffer.from(bytes.subarray(0, keep)).toString('utf8').indexOf('\uFFFD') === -1, `cut ${cut}`);
  }
  assert.equal(completeUtf8Length(Buffer.from([0x61, 0xc3])), 1);
  assert.equal(completeUtf8Length(Buffer.from([0x61, 0xf0, 0x9f, 0x98])), 1);
});

test('a snippet becomes a Markdown fence course clients can read, and back', () => {
  const snippet = { code: 'print("```")\nx = 1', language: 'python', file: 'src/main.py', lines: { start: 3, end: 4 } };
  const text = snippetToText(snippet);
  assert.ok(text.startsWith('````python src/main.py:3-4\n'));
  assert.deepEqual(snippetFromText(text), snippet);
  assert.deepEqual(snippetFromText('```js\nlet a;\n```'), { code: 'let a;', language: 'js' });
  assert.equal(snippetFromText('just text'), undefined);
});

test('the course reader splits a newline-terminated name from a message in the same read', () => {
  const reader = new CourseReader(1000);
  const chunks = reader.push(Buffer.from('Alice\nBob:Hallo\n'));
  assert.deepEqual(chunks, [
    { kind: 'text', text: 'Alice' },
    { kind: 'text', text: 'Bob:Hallo' },
  ]);
  assert.equal(reader.framing, 'line');
});

test('the course reader takes unterminated bytes as one message at a pause, newlines included', () => {
  const reader = new CourseReader(1000);
  assert.deepEqual(reader.push(Buffer.from('Alice')), []);
  assert.deepEqual(reader.flush().chunks, [{ kind: 'text', text: 'Alice' }]);
  assert.equal(reader.framing, 'pause');
  reader.push(Buffer.from('Bob:line 1\nline 2'));
  assert.deepEqual(reader.flush().chunks, [{ kind: 'text', text: 'Bob:line 1\nline 2' }]);
});

test('the course reader waits for the rest of a split character before ending a message', () => {
  const reader = new CourseReader(1000, 'pause');
  const bytes = Buffer.from('Bob:Grüße');
  reader.push(bytes.subarray(0, 7));
  assert.deepEqual(reader.flush(), { chunks: [], waitingForCharacter: true });
  reader.push(bytes.subarray(7));
  assert.deepEqual(reader.flush().chunks, [{ kind: 'text', text: 'Bob:Grüße' }]);
});

test('the course reader reports an over-long message once and recovers at the next boundary', () => {
  const reader = new CourseReader(10);
  const chunks = [
    ...reader.push(Buffer.from('Alice\n')),
    ...reader.push(Buffer.from('x'.repeat(30))),
    ...reader.push(Buffer.from('yyy\nBob:ok\n')),
  ];
  assert.deepEqual(chunks, [
    { kind: 'text', text: 'Alice' },
    { kind: 'too-long', limit: 10 },
    { kind: 'text', text: 'Bob:ok' },
  ]);
});

test('the course reader reports invalid UTF-8 without losing the next message', () => {
  const reader = new CourseReader(100, 'line');
  const chunks = reader.push(Buffer.concat([Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('Bob:ok\n')]));
  assert.deepEqual(chunks, [
    { kind: 'invalid-utf8', bytes: 2 },
    { kind: 'text', text: 'Bob:ok' },
  ]);
});

test('names: letters of any script, inner spaces; no colon, no braces, no reserved names', () => {
  for (const good of ['Alice', 'Zoë', 'Jürg Müller', 'anna_2', "O'Neil", 'Δημήτρης'])
    assert.equal(checkName(good).ok, true, good);
  const problems: Array<[string, string]> = [
    ['', 'empty'],
    ['a'.repeat(33), 'too-long'],
    ['Bob:x', 'bad-character'],
    ['{"type"', 'bad-character'],
    [' Alice', 'bad-character'],
    ['Alice\n', 'bad-character'],
    ['Alle', 'reserved'],
    ['relay', 'reserved'],
  ];
  for (const [name, problem] of problems) {
    const check = checkName(name);
    assert.equal(check.ok, false, name);
    assert.equal((check as { problem: string }).problem, problem, name);
  }
  assert.match((checkName('Bob:x') as { detail: string }).detail, /":" \(U\+003A\) is not allowed/);
});

test('server addresses: host:port, bare host on the course port, IPv6, and clear errors', () => {
  assert.deepEqual(parseServerAddress('192.168.0.10:12345'), {
    ok: true,
    address: { transport: 'tcp', host: '192.168.0.10', port: 12345 },
  });
  assert.deepEqual(parseServerAddress('relay.local'), {
    ok: true,
    address: { transport: 'tcp', host: 'relay.local', port: 12345 },
  });
  assert.deepEqual(parseServerAddress('[::1]:4000'), {
    ok: true,
    address: { transport: 'tcp', host: '::1', port: 4000 },
  });
  assert.match((parseServerAddress('host:99999') as { detail: string }).detail, /not a port/);
  assert.match((parseServerAddress('  ') as { detail: string }).detail, /empty/);
});

test('a server address is a host name or an IP address, nothing that could become a link or a command where it is shown', () => {
  for (const junk of [
    '[x](command:y):1',
    '[Lösung](command:workbench.action.openSettings)',
    'a b:1',
    'host/path:1',
    '[zz::zz]:1',
  ]) {
    assert.equal(parseServerAddress(junk).ok, false, junk);
  }
  assert.deepEqual(parseServerAddress('fe80::1%eth0'), {
    ok: true,
    address: { transport: 'tcp', host: 'fe80::1%eth0', port: 12345 },
  });
  assert.deepEqual(parseServerAddress('schulhaus-zürich.local:12345'), {
    ok: true,
    address: { transport: 'tcp', host: 'schulhaus-zürich.local', port: 12345 },
  });
});
