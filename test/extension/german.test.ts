/**
 * The extension in German, as a Swiss class meets it: connecting where no relay runs, a name
 * that is taken, each refusal the relay sends, messages that fail, a mute, a lost connection and
 * the reconnects after it. Everything the person is shown (notices and their buttons, the
 * questions asked, the chat panel's words, states and failures, the status bar) is German: no
 * English word, no reason of the relay's or the client's own inserted into a German sentence.
 * A real relay over real TCP; the German bundle translates.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DropCause, FailureCode } from '../../src/client/connectionTypes';
import { RelayError, type RelayErrorCode } from '../../src/client/types';
import { panelStrings } from '../../src/extension/chat/panel/panelStrings';
import { statusBarText } from '../../src/extension/statusBarText';
import { describeFailure, type RefusalReason } from '../../src/extension/chat/deliveryWording';
import { describeRefusal } from '../../src/extension/classroom/refusalWording';
import { connectionView, describeConnectError, describeDrop } from '../../src/extension/connection/connectionWording';
import { EVERYONE, type HostToPanel } from '../../src/protocol/panel';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { englishIn } from '../helpers/extension/english';
import {
  english,
  FreezingProxy,
  german,
  hostsForThisFile,
  local,
  type ExtensionHost,
} from '../helpers/extension/parts';
import { coursePeer, FramedPeer, freePort } from '../helpers/relay/peers';
import { ROOT } from '../helpers/paths';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const closers: Array<() => unknown> = [];
after(() => Promise.all(closers.map((close) => close())));

const KEY = 'tafel-kreide-schwamm-42';
const REASONS: RefusalReason[] = [
  'too-large',
  'invalid-recipient',
  'invalid-snippet',
  'recipient-busy',
  'rate-limited',
  'muted',
  'not-allowed',
  'send-failed',
];
const germanBundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<
  string,
  string
>;
const germanManifest = JSON.parse(readFileSync(join(ROOT, 'package.nls.de.json'), 'utf8')) as Record<string, string>;

async function framed(port: number, name: string, teacherKey?: string): Promise<FramedPeer> {
  const peer = await FramedPeer.connect(port, name, teacherKey ? { teacherKey } : {});
  closers.push(() => peer.close());
  return peer;
}

/** The words of what the chat panel was told to show (not what people wrote: names, messages). */
function panelWords(post: HostToPanel): string[] {
  const connection = (view: Extract<HostToPanel, { type: 'connection' }>['connection']) => {
    switch (view.kind) {
      case 'reconnecting':
      case 'failed':
        return [view.reason];
      case 'connected':
        return [view.dialect];
      default:
        return [];
    }
  };
  switch (post.type) {
    case 'init':
    case 'snapshot': {
      const strings =
        post.type === 'init'
          ? Object.values(post.strings).filter((value): value is string => typeof value === 'string')
          : [];
      return [
        ...strings,
        ...connection(post.snapshot.connection),
        ...post.snapshot.items.flatMap((item) => (item.failure ? [item.failure] : [])),
        ...post.snapshot.conversations.map((view) => view.label),
      ];
    }
    case 'connection':
      return connection(post.connection);
    case 'item':
      return post.item.failure ? [post.item.failure] : [];
    case 'conversations':
      return post.conversations.map((view) => view.label);
    default:
      return [];
  }
}

/** Everything a person using `someone` has been shown, with the status bar as it was after each change. */
function watch(someone: ExtensionHost): () => string[] {
  const status: string[] = [];
  const record = () => {
    const { lifecycle, session, classroom } = someone.parts;
    const shown = statusBarText(lifecycle.state, session.totalUnread, german, {
      role: classroom.role,
      standing: classroom.standing,
      now: new Date(),
    });
    status.push(shown.text, shown.tooltip, shown.label);
  };
  someone.parts.session.onUpdate(record);
  someone.parts.lifecycle.onEvent(record);
  someone.parts.classroom.onUpdate(record);
  return () => [
    ...someone.person.shown.flatMap((shown) => [shown.message, ...shown.actions]),
    ...someone.person.asked.flatMap((asked) => asked.args.filter((arg): arg is string => typeof arg === 'string')),
    ...someone.panels.flatMap((panel) => panel.posts.flatMap(panelWords)),
    ...status,
  ];
}

function assertGerman(texts: string[], allowed: string[]): void {
  // The status bar's icons, $(name), are no words.
  const english = [...new Set(texts)]
    .map((text) => [text, englishIn(text.replace(/\$\([\w~-]+\)/g, ' '), allowed)] as const)
    .filter(([, words]) => words.length > 0);
  assert.deepEqual(
    english.map(([text, words]) => `${text} (${words.join(', ')})`),
    [],
    'English shown to a person using VS Code in German',
  );
}

test('the check for English finds "the relay closed the connection" inside a German sentence, and nothing in the German translations', () => {
  assert.deepEqual(englishIn('Verbindung verloren (the relay closed the connection)'), [
    'the',
    'closed',
    'the',
    'connection',
  ]);
  assert.deepEqual(
    englishIn('Das Relay hat die Nachricht abgelehnt: too many messages; wait 3 s before sending again'),
    ['too', 'many', 'messages', 'wait', 'again'],
  );
  assert.deepEqual(englishIn('MISSING Open Chat'), ['MISSING']);
  assert.deepEqual(englishIn('Hallo from Bob', ['Hallo from Bob']), [], 'what people wrote is theirs');
  const translations = [
    ...Object.values(germanBundle),
    ...Object.values(germanManifest),
    ...Object.values(panelStrings(german)).filter((value): value is string => typeof value === 'string'),
  ];
  assert.deepEqual(
    translations.filter((text) => englishIn(text).length > 0),
    [],
  );
});

test('each refusal reason, delivery failure, reason for a lost connection and connection error has its own words, in English and in German without English', () => {
  const failures: Array<[FailureCode, RefusalReason | undefined]> = [
    ['unknown-peer', undefined],
    ['disconnected', undefined],
    ['rejected', undefined],
    ['not-supported', undefined],
    ...REASONS.map((reason): [FailureCode, RefusalReason] => ['rejected', reason]),
  ];
  const inEnglish = failures.map(([code, reason]) => describeFailure(code, 'Bob', english, reason));
  assert.equal(new Set(inEnglish).size, inEnglish.length, `each its own words: ${inEnglish.join(' | ')}`);
  const inGerman = failures.map(([code, reason]) => describeFailure(code, 'Bob', german, reason));
  assertGerman(inGerman, ['Bob']);
  assertGerman(
    REASONS.map((reason) => describeRefusal(reason, german)),
    [],
  );
  assert.equal(
    describeFailure('rejected', 'Bob', german, 'recipient-busy'),
    'Nicht zugestellt: Bob liest gerade keine Nachrichten. Versuche es später nochmals.',
  );
  const causes: DropCause[] = [
    { kind: 'no-ack' },
    ...(['local', 'remote', 'keepalive', 'error', 'server-shutdown', 'class-ended'] as const).map(
      (reason): DropCause => ({
        kind: 'closed',
        reason,
      }),
    ),
    ...(
      [
        'refused',
        'timeout',
        'unreachable',
        'name-taken',
        'name-invalid',
        'tls-failed',
        'replaced',
        'teacher-key-invalid',
        'protocol',
        'closed',
        'unknown-class',
        'class-ended',
      ] as const
    ).map((code): DropCause => ({ kind: 'connect-failed', code })),
  ];
  assertGerman(
    causes.map((cause) => describeDrop(cause, german)),
    [],
  );
  // The client's own messages are English, for the log: none of them reaches a German sentence.
  const codes: RelayErrorCode[] = [
    'refused',
    'unreachable',
    'not-found-host',
    'timeout',
    'closed',
    'replaced',
    'name-taken',
    'name-invalid',
    'name-reserved',
    'unsupported-version',
    'protocol',
    'tls-untrusted',
    'tls-mismatch',
    'tls-failed',
    'teacher-key-invalid',
    'unknown-class',
    'class-ended',
    'class-refused',
  ];
  const detail = 'the relay closed the connection before the welcome';
  assertGerman(
    codes.map((code) => describeConnectError(new RelayError(code, detail), '10.0.0.5:12345', 'Alice', german)),
    ['Alice', '10.0.0.5:12345'],
  );
  assert.equal(
    describeConnectError(
      new RelayError('name-invalid', 'the character ":" (U+003A) is not allowed'),
      '10.0.0.5:12345',
      'Bob:1',
      german,
    ),
    'Das Relay akzeptiert den Namen "Bob:1" nicht: Verwende nur Buchstaben, Ziffern, Leerzeichen und . _ - \'; keinen Doppelpunkt. Beginne mit einem Buchstaben oder einer Ziffer.',
  );
  assertGerman(
    codes.map((code) => {
      const view = connectionView({ kind: 'failed', error: new RelayError(code, detail) }, '10.0.0.5:12345', german);
      return view.kind === 'failed' ? view.reason : '';
    }),
    ['10.0.0.5:12345'],
  );
  assertGerman(
    codes.map((code) => statusBarText({ kind: 'failed', error: new RelayError(code, detail) }, 0, german).tooltip),
    [],
  );
});

test("in German, a class's connection trouble, every refusal of the relay and every failed message read German, without English", async () => {
  const texts: string[] = [];
  const allowed = ['Alice', 'Bea', 'Bob', 'Carol', 'Dana', 'Frau Keller', 'Zoe', 'Classroom Relay'];

  // Nobody listens where Alice connects first; then her name is taken where she connects next.
  const nowhere = await freePort();
  const alice = host({ t: german });
  const aliceShown = watch(alice);
  alice.person.answer('server', local(nowhere)).answer('name', 'Alice');
  await alice.parts.lifecycle.connect();
  await alice.until(() => alice.person.shown.find((shown) => shown.level === 'error'), 'the error');
  assert.deepEqual(
    alice.person.shown.find((shown) => shown.level === 'error'),
    {
      level: 'error',
      message: `Keine Verbindung zu 127.0.0.1:${nowhere}: Die Verbindung wurde abgelehnt. Läuft das Relay, und stimmt der Port?`,
      actions: ['Erneut versuchen', 'Server ändern'],
    },
  );

  const classroom = await relay({ teacherKey: KEY, output: { messageBytes: 4000 } });
  const keller = await framed(classroom.port, 'Frau Keller', KEY);
  // Carol is there to be written to, and her name is taken when Bea asks for it.
  await framed(classroom.port, 'Carol');
  const bob = await coursePeer(classroom.port, 'Bob');
  closers.push(() => bob.close());
  const bea = host({ t: german });
  const beaShown = watch(bea);
  bea.person.answer('server', local(classroom.port)).answer('name', 'Carol');
  await bea.parts.lifecycle.connect();
  await bea.until(() => bea.person.shown.find((shown) => shown.level === 'error'), 'the error');
  assert.deepEqual(bea.person.shown.find((shown) => shown.level === 'error')?.actions, [
    'Erneut versuchen',
    'Namen ändern',
  ]);

  // Change Server, as the error offered.
  alice.person.answer('server', local(classroom.port));
  await alice.parts.lifecycle.connect({ askServer: true });
  await alice.until(() => alice.parts.session.online().includes('Bob') || undefined, 'connected, Bob online');
  const failed = async (text: string) => (await alice.item(text, (item) => item.delivery === 'failed')).failure;
  const expected: Array<[string, string | undefined, string]> = [];
  const refuse = async (what: string, send: () => void, text: string, words: string) => {
    send();
    expected.push([what, await failed(text), words]);
  };
  await refuse(
    'too-large',
    () => alice.parts.session.sendText('Carol', `${'x'.repeat(17 * 1024)}`),
    `${'x'.repeat(17 * 1024)}`,
    'Nicht gesendet: Die Nachricht ist grösser, als das Relay annimmt. Sende sie in Teilen.',
  );
  await refuse(
    'invalid-recipient',
    () => alice.parts.session.sendText(' ', 'An niemanden'),
    'An niemanden',
    'Nicht gesendet: An diesen Empfänger kann der Server nichts senden.',
  );
  alice.parts.session.sendSnippet('Carol', { code: 'print("Hallo")', language: 'py\u0007thon' });
  expected.push([
    'invalid-snippet',
    (
      await alice.until(
        () => alice.parts.session.items.find((item) => item.content.kind === 'snippet' && item.delivery === 'failed'),
        'the snippet refused',
      )
    ).failure,
    'Nicht gesendet: Der Dateiname oder die Sprache des Snippets enthält Steuerzeichen.',
  ]);
  await refuse(
    'not-allowed',
    () => void alice.parts.send.sendFromPanel(EVERYONE, 'Tipp von Alice'),
    'Tipp von Alice',
    'Nur Lehrpersonen können Hinweise an alle senden.',
  );
  await refuse(
    'unknown-peer',
    () => alice.parts.session.sendText('Zoe', 'Bist du da, Zoe?'),
    'Bist du da, Zoe?',
    'Zoe ist nicht online.',
  );
  // Bob reads as the course's client does, one message at a time: what waits for him fills his queue.
  for (let index = 1; index <= 4; index++) alice.parts.session.sendText('Bob', `${index} ${'b'.repeat(900)}`);
  const busy = await alice.until(
    () => alice.parts.session.items.find((item) => item.delivery === 'failed' && item.conversation === 'bob'),
    'a message Bob cannot take now',
  );
  expected.push([
    'recipient-busy',
    busy.failure,
    'Nicht zugestellt: Bob liest gerade keine Nachrichten. Versuche es später nochmals.',
  ]);
  keller.send({ type: 'moderate', id: 'k1', action: 'mute', name: 'Alice', minutes: 5 });
  await alice.until(() => alice.parts.classroom.standing.muted, 'the mute heard');
  await refuse(
    'muted',
    () => alice.parts.session.sendText('Carol', 'Darf ich?'),
    'Darf ich?',
    'Nicht gesendet: Deine Lehrperson hat dich bis',
  );
  keller.send({ type: 'moderate', id: 'k2', action: 'unmute', name: 'Alice' });
  await alice.until(() => alice.parts.classroom.standing.muted === undefined || undefined, 'the mute over');
  for (const [what, failure, words] of expected) assert.ok(failure?.startsWith(words), `${what}: ${failure}`);

  // Rate limits, on a relay that allows two messages at once.
  const strict = await relay({ rate: { perMinute: 6, burst: 2 } });
  await framed(strict.port, 'Carol');
  const dana = host({ t: german });
  const danaShown = watch(dana);
  const proxy = await FreezingProxy.start(strict.port);
  closers.push(() => proxy.close());
  await dana.connect(proxy.port, 'Dana');
  for (const text of ['eins', 'zwei', 'drei']) dana.parts.session.sendText('Carol', text);
  assert.equal(
    (await dana.item('drei', (item) => item.delivery === 'failed')).failure,
    'Nicht gesendet: Du hast in kurzer Zeit zu viele Nachrichten gesendet. Warte einen Moment und sende sie dann nochmals.',
  );
  // A message on its way when Dana disconnects.
  proxy.freeze();
  dana.parts.session.sendText('Carol', 'unterwegs');
  await dana.item('unterwegs');
  dana.parts.lifecycle.disconnect();
  assert.equal(
    (await dana.item('unterwegs', (item) => item.delivery === 'failed')).failure,
    'Nicht gesendet: Du hast die Verbindung getrennt.',
  );
  proxy.thaw();

  // The connection breaks (the relay's machine goes away), and then nothing answers there.
  await dana.connect(proxy.port, 'Dana');
  await proxy.close();
  const reconnecting = (someone: ExtensionHost) =>
    someone.panels.flatMap((panel) =>
      panel.posts.flatMap((post) =>
        post.type === 'connection' && post.connection.kind === 'reconnecting' ? [post.connection.reason] : [],
      ),
    );
  await dana.until(() => reconnecting(dana).includes('das Relay läuft nicht') || undefined, 'the reconnects refused');
  assert.ok(
    ['das Relay hat die Verbindung geschlossen', 'die Netzwerkverbindung ist abgebrochen'].includes(
      reconnecting(dana)[0]!,
    ),
    `the drop itself, in German: ${reconnecting(dana)[0]}`,
  );

  // The relay is stopped while Alice is connected.
  await classroom.close();
  await alice.until(() => reconnecting(alice).includes('das Relay wurde beendet') || undefined, 'the relay stopped');
  alice.parts.session.sendText('Carol', 'Kommt das später an?');
  await alice.item('Kommt das später an?');

  texts.push(...aliceShown(), ...beaShown(), ...danaShown());
  assert.ok(texts.length > 50, `${texts.length} texts looked at`);
  assertGerman(texts, [...allowed, `127.0.0.1:${nowhere}`, `127.0.0.1:${classroom.port}`, `127.0.0.1:${proxy.port}`]);
});
