/**
 * Teacher mode's logic that needs neither VS Code nor a relay: the roster as the tree view shows
 * it, notification text that cannot become a link, the addresses a hosted classroom offers, times,
 * teacher keys as typed, the chat model's pages and known hints, and the manifest's roster view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkInterfaceInfo } from 'node:os';
import type { RosterEntry } from '../../../src/protocol/classroom';
import { EVERYONE } from '../../../src/protocol/panel';
import { ChatModel } from '../../../src/extension/chat/chatModel';
import { dayAndTimeForLine } from '../../../src/protocol/lineTime';
import { lanAddresses } from '../../../src/extension/hosting/hosting';
import { plainNotices, plainPrompts, unlinked, withoutIcons } from '../../../src/extension/notificationText';
import { rosterNodes, rosterSummary } from '../../../src/extension/classroom/rosterTree';
import type { Prompts } from '../../../src/extension/ports';
import { statusBarText } from '../../../src/extension/statusBarText';
import {
  checkTeacherKeyInput,
  describeKeyProblem,
  serverKey,
  TeacherKeys,
} from '../../../src/extension/classroom/teacherKeys';
import { english, german } from '../../helpers/extension/parts';
import { ROOT } from '../../helpers/paths';

/** A lesson's morning, in local time, so that the times read the same in any time zone. */
const at = (hours: number, minutes: number) => new Date(2026, 10, 25, hours, minutes).toISOString();
const NOW = new Date(2026, 10, 25, 10, 40);

const entry = (name: string, extra: Partial<RosterEntry> = {}): RosterEntry => ({
  name,
  role: 'student',
  dialect: 'relay',
  address: '192.168.1.40:51234',
  since: at(10, 2),
  sent: 0,
  received: 0,
  ...extra,
});

test('roster rows: raised hands first (oldest first), then by name; each row says hand, mute, counts and dialect, the tooltip all of it', () => {
  const roster = {
    total: 4,
    entries: [
      entry('Aaron', { sent: 3, received: 5 }),
      entry('Zoë', { hand: { at: at(10, 35), question: 'Warum blockiert recv()?' } }),
      entry('Carol', {
        dialect: 'course',
        address: '192.168.1.41:40000',
        sent: 1,
        received: 2,
        muted: { until: at(10, 45) },
      }),
      entry('Mia', { hand: { at: at(10, 31) } }),
    ],
  };
  const rows = rosterNodes(roster, NOW, english);
  assert.deepEqual(
    rows.map((row) => [row.label, row.icon, row.contextValue, row.description]),
    [
      ['Mia', 'question', 'student hand speaking', 'hand up 10:31 · 0 sent, 0 received · Classroom Relay client'],
      [
        'Zoë',
        'question',
        'student hand speaking',
        'hand up 10:35: Warum blockiert recv()? · 0 sent, 0 received · Classroom Relay client',
      ],
      ['Aaron', 'person', 'student speaking', '3 sent, 5 received · Classroom Relay client'],
      ['Carol', 'mute', 'student muted', 'muted until 10:45 · 1 sent, 2 received · course client'],
    ],
  );
  assert.equal(
    rows[1]!.tooltip,
    'Zoë\nHand up since 10:35: Warum blockiert recv()?\nClassroom Relay client at 192.168.1.40:51234\nConnected since 10:02\n0 messages sent, 0 received',
  );
  assert.equal(
    rows[3]!.accessibilityLabel,
    'Carol, Muted until 10:45, course client at 192.168.1.41:40000, Connected since 10:02, 1 messages sent, 2 received',
  );
  assert.deepEqual(
    rows.map((row) => row.id),
    ['student/Mia', 'student/Zoë', 'student/Aaron', 'student/Carol'],
  );
  assert.deepEqual(
    rows.map((row) => row.name),
    ['Mia', 'Zoë', 'Aaron', 'Carol'],
  );
  const german_ = rosterNodes(roster, NOW, german);
  assert.equal(
    german_[1]!.description,
    'Hand oben 10:35: Warum blockiert recv()? · 0 gesendet, 0 empfangen · Classroom-Relay-Client',
  );
  assert.equal(german_[3]!.description, 'stumm bis 10:45 · 1 gesendet, 2 empfangen · Kurs-Client');
});

test('roster rows: a timed mute that has run out is no mute; one until unmuted is; a long question is cut beside the name and whole in the tooltip; controls are shown escaped', () => {
  const question = `Wie ${'lange '.repeat(20)}dauert es?`;
  const rows = rosterNodes(
    {
      total: 3,
      entries: [
        entry('Ben', { muted: { until: at(10, 30) } }),
        entry('Lea', { muted: {} }),
        entry('Tim', { hand: { at: at(10, 0), question: `${question}\u001b[2J` }, address: '10.0.0.7:1\n' }),
      ],
    },
    NOW,
    english,
  );
  assert.deepEqual(
    rows.map((row) => [row.label, row.muted, row.contextValue]),
    [
      ['Tim', false, 'student hand speaking'],
      ['Ben', false, 'student speaking'],
      ['Lea', true, 'student muted'],
    ],
  );
  assert.equal(rows[2]!.description, 'muted · 0 sent, 0 received · Classroom Relay client');
  assert.match(rows[2]!.tooltip, /\nMuted until you unmute them\n/);
  const shown = /^hand up 10:00: (.*) · 0 sent/.exec(rows[0]!.description)![1]!;
  assert.equal([...shown].length, 60);
  assert.ok(shown.endsWith('…'));
  assert.ok(rows[0]!.tooltip.includes(`${question}\\e[2J`), 'the whole question, its escape sequence shown as text');
  assert.ok(rows[0]!.tooltip.includes('10.0.0.7:1\\n'));
  // eslint-disable-next-line no-control-regex -- control characters are what must not be there
  assert.doesNotMatch(rows.map((row) => row.tooltip + row.description).join(''), /[\u0000-\u001f](?<!\n)/u);
});

test("the roster's summary: how many students, how many hands for the badge, and a word when the relay listed only part of the class", () => {
  assert.deepEqual(rosterSummary({ total: 1, entries: [entry('Mia', { hand: { at: at(10, 0) } })] }, english), {
    description: '1 student',
    hands: 1,
    handsText: '1 raised hand',
    partial: undefined,
  });
  const large = rosterSummary(
    { total: 320, entries: Array.from({ length: 300 }, (_, index) => entry(`S${index}`)) },
    german,
  );
  assert.deepEqual(large, {
    description: '320 Personen',
    hands: 0,
    handsText: '0 gehobene Hände',
    partial: 'Die ersten 300 von 320 Personen sind aufgeführt.',
  });
});

test('notification text: link syntax is broken up so that no [label](command:…) becomes a link; everything else stays', () => {
  assert.equal(
    unlinked('[Einstellungen](command:workbench.action.openSettings)'),
    '[Einstellungen] (command:workbench.action.openSettings)',
  );
  assert.equal(
    unlinked('a [b](https://x.org "t") c [d](file:///etc/passwd)'),
    'a [b] (https://x.org "t") c [d] (file:///etc/passwd)',
  );
  assert.equal(unlinked('[a]](command:x)'), '[a]] (command:x)');
  for (const plain of ['Hallo [Bob]!', 'f(x) = [1, 2] (sortiert)', 'Liste[0](1)'.replace('](', '] (')])
    assert.equal(unlinked(plain), plain);
  const seen: string[] = [];
  const record = (level: string) => async (message: string) => {
    seen.push(`${level}: ${message}`);
    return undefined;
  };
  const notices = plainNotices({
    info: record('info'),
    warning: record('warning'),
    error: record('error'),
    confirm: async (message, detail) => (seen.push(`confirm: ${message} / ${detail}`), undefined),
    flash: (message) => void seen.push(`flash: ${message}`),
    progress: async (title, task) => (seen.push(`progress: ${title}`), task()),
  });
  void notices.info('[x](command:a)', '[keep](command:b)');
  void notices.warning('[x](command:a)');
  void notices.error('[x](command:a)');
  void notices.confirm('[x](command:a)', '[y](command:b)');
  notices.flash('[x](command:a)', 1);
  void notices.progress('[x](command:a)', async () => undefined);
  assert.deepEqual(seen, [
    'info: [x] (command:a)',
    'warning: [x] (command:a)',
    'error: [x] (command:a)',
    'confirm: [x] (command:a) / [y] (command:b)',
    'flash: [x] (command:a)',
    'progress: [x] (command:a)',
  ]);
});

test('questions: a prompt shows link syntax and $(icon) as written; titles are plain text already and stay as they are', async () => {
  assert.equal(withoutIcons('Eve $(bug) $(x'), 'Eve \\$(bug) \\$(x');
  assert.equal(withoutIcons('f(x) $ 5'), 'f(x) $ 5');
  const asked: unknown[][] = [];
  const record = async (...args: unknown[]) => (asked.push(args), undefined);
  const prompts = plainPrompts({
    text: record,
    line: record,
    secret: record,
    optionalText: record,
  } as unknown as Prompts);
  await prompts.text('Message to [x](command:a)', 'Your message to [x](command:a) $(bug)', 10);
  await prompts.line('T', '[x](command:a)');
  await prompts.secret('T', '[x](command:a)');
  await prompts.optionalText('T', '[x](command:a)', 5);
  assert.deepEqual(asked, [
    ['Message to [x](command:a)', 'Your message to [x] (command:a) \\$(bug)', 10],
    ['T', '[x] (command:a)'],
    ['T', '[x] (command:a)'],
    ['T', '[x] (command:a)', 5],
  ]);
  const connected = { kind: 'connected', dialect: 'course', name: '$(bug) Eve', online: [] } as const;
  assert.equal(
    statusBarText(connected, 0, english).text,
    '$(comment-discussion) \\$(bug) Eve',
    'the status bar draws its own icon, not one in a name',
  );
});

test('a hosted classroom offers the IPv4 addresses other machines reach: no loopback, no link-local, no IPv6, private ranges first, each once', () => {
  const info = (address: string, internal = false, family: 'IPv4' | 'IPv6' = 'IPv4'): NetworkInterfaceInfo =>
    family === 'IPv4'
      ? { address, internal, family, netmask: '', mac: '', cidr: null }
      : { address, internal, family, netmask: '', mac: '', cidr: null, scopeid: 0 };
  assert.deepEqual(
    lanAddresses({
      lo: [info('127.0.0.1', true), info('::1', true, 'IPv6')],
      docker0: [info('203.0.113.5')],
      eth0: [info('10.4.0.12'), info('fe80::1', false, 'IPv6')],
      wlan0: [info('192.168.1.23'), info('169.254.3.4')],
      tun0: [info('172.20.0.2')],
      again: [info('192.168.1.23')],
    }),
    ['192.168.1.23', '10.4.0.12', '172.20.0.2', '203.0.113.5'],
  );
  assert.deepEqual(lanAddresses({}), []);
});

test('times read as local HH:MM, with the date when not today; a broken time reads "?"', () => {
  assert.equal(dayAndTimeForLine(at(9, 5), NOW), '09:05');
  assert.equal(dayAndTimeForLine(new Date(2026, 10, 26, 8, 0).toISOString(), NOW), '2026-11-26 08:00');
  assert.equal(dayAndTimeForLine('not a time', NOW), '?');
});

test('a typed teacher key: spaces around it are dropped; empty, control characters and over 256 bytes are refused with words; keys are filed by transport, host and port', () => {
  assert.deepEqual(checkTeacherKeyInput('  7kqm-x4rt-9bzc-hwn3\n'), { ok: true, key: '7kqm-x4rt-9bzc-hwn3' });
  assert.deepEqual(checkTeacherKeyInput('   '), { ok: false, problem: 'empty' });
  assert.deepEqual(checkTeacherKeyInput('ab\u0007cd'), { ok: false, problem: 'control' });
  assert.deepEqual(checkTeacherKeyInput('ü'.repeat(129)), { ok: false, problem: 'too-long' });
  assert.equal(describeKeyProblem('too-long', english), 'A teacher key has at most 256 bytes.');
  assert.equal(describeKeyProblem('empty', german), 'Gib den Lehrpersonen-Schlüssel ein.');
  assert.equal(serverKey({ transport: 'tcp', host: 'Relay.Local', port: 12345 }), 'relay.local:12345');
  assert.equal(serverKey({ transport: 'tcp', host: '::1', port: 12345 }), '[::1]:12345');
  assert.equal(serverKey({ transport: 'tls', host: 'Relay.Local', port: 12345 }), 'tls://relay.local:12345');
});

test('a teacher key kept for tls://host:port is not the key of host:port: it never goes out unencrypted', async () => {
  const kept = new Map<string, string>();
  const keys = new TeacherKeys({
    get: async (key) => kept.get(key),
    store: async (key, value) => void kept.set(key, value),
    delete: async (key) => void kept.delete(key),
  });
  const encrypted = { transport: 'tls', host: 'relay.schule.ch', port: 12345 } as const;
  const plain = { ...encrypted, transport: 'tcp' } as const;
  await keys.store(encrypted, 'k-tls');
  assert.equal(await keys.get(encrypted), 'k-tls');
  assert.equal(await keys.get(plain), undefined);
  assert.equal(await keys.forget(plain), false);
  assert.equal(await keys.get(encrypted), 'k-tls');
  // A key filed by host:port alone, as before, moves to its TLS name when that relay is used over TLS.
  kept.clear();
  kept.set('relay.teacherKey/relay.schule.ch:12345', 'k-before');
  assert.equal(await keys.get(encrypted), 'k-before');
  assert.deepEqual([...kept], [['relay.teacherKey/tls://relay.schule.ch:12345', 'k-before']]);
  assert.equal(await keys.get(plain), undefined);
});

test("the status bar: a teacher's badge; a student's raised hand and mute in the tooltip, the mute as a warning", () => {
  const connected = { kind: 'connected', dialect: 'relay', name: 'Mia', online: [] } as const;
  const student = statusBarText(connected, 0, english, {
    role: 'student',
    standing: { hand: { at: at(10, 31), question: 'Wie?' }, muted: {} },
    now: NOW,
  });
  assert.deepEqual(student, {
    text: '$(mute) Mia',
    tooltip:
      'Relay: connected as Mia\nYour hand is up (since 10:31): Wie?\nYour teacher muted you: your messages are refused until you are unmuted.\nClick to open the chat.',
    label:
      'Relay: connected as Mia Your hand is up (since 10:31): Wie? Your teacher muted you: your messages are refused until you are unmuted.',
    warning: true,
  });
  assert.equal(statusBarText(connected, 2, english, { role: 'teacher', now: NOW }).text, '$(bell-dot) Mia (Teacher) 2');
  assert.equal(
    statusBarText(connected, 0, english).text,
    '$(comment-discussion) Mia',
    'without a role (a course server) as before',
  );
});

test('chat model: a conversation beyond what a panel keeps is sent in part and paged on request; a hint of the lesson handed again is known', () => {
  const model = new ChatModel(1000, 'Everyone');
  for (let index = 0; index < 7; index++)
    model.receive({ kind: 'message', from: 'Bob', text: `#${index}`, at: at(9, index) });
  model.receive({ kind: 'hint', from: 'Frau Keller', text: 'Tipp', at: at(9, 30), teacher: true, earlier: true });
  const { items, older } = model.recent(3);
  assert.deepEqual(
    items.map((item) => item.content.kind === 'text' && item.content.text),
    ['#4', '#5', '#6', 'Tipp'],
  );
  assert.deepEqual(older, ['bob']);
  assert.deepEqual([items[3]!.teacher, items[3]!.earlier, items[3]!.conversation], [true, true, EVERYONE]);
  const page = model.older('bob', items[0]!.id, 3);
  assert.deepEqual(
    [page.items.map((item) => item.content.kind === 'text' && item.content.text), page.more],
    [['#1', '#2', '#3'], true],
  );
  assert.deepEqual(model.older('bob', page.items[0]!.id, 3).more, false);
  assert.equal(
    model.knows({ kind: 'hint', from: 'Frau Keller', text: 'Tipp', at: at(9, 30), earlier: true }, 'Bob'),
    true,
  );
  assert.equal(
    model.knows({ kind: 'hint', from: 'Frau Keller', text: 'Tipp', at: at(9, 31), earlier: true }, 'Bob'),
    false,
    'the same words sent again later are another hint',
  );
  model.sent('m1', undefined, 'Alice', { kind: 'snippet', snippet: { code: 'x = 1', language: 'python' } }, true);
  assert.equal(model.find('m1')?.teacher, true);
  assert.equal(
    model.knows(
      {
        kind: 'hint',
        from: 'Alice',
        text: '[python code]',
        snippet: { code: 'x = 1', language: 'python' },
        at: at(9, 40),
        earlier: true,
      },
      'ALICE',
    ),
    true,
    'our own hint, handed back on joining again',
  );
});

test('the manifest: the chat is a webview view of the Relay container in the activity bar and keeps it; the questions inbox and the class roster are tree views of a Classroom container in the panel, shown only to teachers, with welcome content, row actions by context value and their commands kept out of the palette', () => {
  interface Manifest {
    contributes: {
      viewsContainers: { activitybar: unknown[]; panel: unknown[] };
      views: Record<string, Array<{ id: string; when?: string; type?: string }>>;
      viewsWelcome: Array<{ view: string; when: string }>;
      menus: Record<string, Array<{ command: string; when: string }>>;
      commands: Array<{ command: string }>;
    };
  }
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const nlsDe = JSON.parse(readFileSync(join(ROOT, 'package.nls.de.json'), 'utf8')) as Record<string, string>;
  const { viewsContainers, views, viewsWelcome, menus, commands } = manifest.contributes;
  assert.deepEqual(viewsContainers.activitybar, [{ id: 'relay', title: '%view.container%', icon: '$(mortar-board)' }]);
  assert.deepEqual(viewsContainers.panel, [
    { id: 'relay-classroom', title: '%view.classroom%', icon: '$(mortar-board)' },
  ]);
  assert.deepEqual(
    views.relay!.map((view) => [view.id, view.when, view.type ?? 'tree']),
    [['relay.chatView', undefined, 'webview']],
  );
  assert.deepEqual(
    views['relay-classroom']!.map((view) => [view.id, view.when, view.type ?? 'tree']),
    [
      ['relay.questions', 'relay.teacher', 'tree'],
      ['relay.roster', 'relay.teacher', 'tree'],
    ],
  );
  assert.deepEqual(
    viewsWelcome.map((welcome) => [welcome.view, welcome.when]),
    [
      ['relay.roster', '!relay.hosting'],
      ['relay.roster', 'relay.hosting'],
      ['relay.questions', undefined],
    ],
  );
  assert.match(nls['view.roster.emptyHosting'] ?? '', /\[Show the Addresses\]\(command:relay\.hostClassroom\)/);
  assert.match(nlsDe['view.roster.emptyHosting'] ?? '', /\[Adressen zeigen\]\(command:relay\.hostClassroom\)/);
  const ids = new Set(commands.map((command) => command.command));
  for (const [where, entries] of Object.entries(menus)) {
    for (const item of entries)
      assert.ok(ids.has(item.command), `${item.command} in ${where} is a contributed command`);
  }
  const rowActions = menus['view/item/context']!.map((item) => [item.command, item.when] as const);
  assert.deepEqual(
    new Set(rowActions.map(([command]) => command)),
    new Set([
      'relay.questions.open',
      'relay.questions.markAnswered',
      'relay.roster.message',
      'relay.roster.lowerHand',
      'relay.roster.mute',
      'relay.roster.unmute',
      'relay.roster.disconnect',
    ]),
  );
  const when = (command: string) => rowActions.filter(([id]) => id === command).map(([, clause]) => clause);
  const matches = (clause: string, contextValue: string) =>
    new RegExp(/viewItem =~ \/(.*)\//.exec(clause)![1]!).test(contextValue);
  assert.ok(
    when('relay.roster.mute').every(
      (clause) => matches(clause, 'student speaking') && !matches(clause, 'student muted'),
    ),
  );
  assert.ok(
    when('relay.roster.unmute').every(
      (clause) => matches(clause, 'student hand muted') && !matches(clause, 'student speaking'),
    ),
  );
  assert.ok(
    when('relay.roster.lowerHand').every(
      (clause) => matches(clause, 'student hand speaking') && !matches(clause, 'student speaking'),
    ),
  );
  const hidden = menus
    .commandPalette!.filter((item) => item.when === 'false')
    .map((item) => item.command)
    .sort();
  assert.ok(
    when('relay.questions.markAnswered').every(
      (clause) => matches(clause, 'question open hand') && !matches(clause, 'question answered hand'),
    ),
  );
  assert.deepEqual(hidden, [
    'relay.questions.markAnswered',
    'relay.questions.open',
    'relay.roster.disconnect',
    'relay.roster.lowerHand',
    'relay.roster.message',
    'relay.roster.mute',
    'relay.roster.unmute',
  ]);
  assert.equal(nlsDe['command.hostClassroom'], 'Klassenzimmer hosten');
  assert.equal(nlsDe['view.roster'], 'Klasse');
  assert.equal(nlsDe['view.questions'], 'Fragen');
  assert.equal(nlsDe['view.classroom'], 'Klassenzimmer');
});
