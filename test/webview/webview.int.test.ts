/** The chat panel in real headless Chromium, loaded with the real bundle, stylesheet and CSP. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { panelStrings } from '../../src/extension/chat/panel/panelStrings';
import { MAX_QUESTION_BYTES } from '../../src/protocol/limits';
import {
  format,
  parsePanelMessage,
  EVERYONE,
  PANEL_KEEP,
  type ChatItem,
  type ChatSnapshot,
  type HostToPanel,
} from '../../src/protocol/panel';
import { fromHost, openPanel, panelBrowserForThisFile, posted } from '../helpers/browser/browser';
import { applyRealTheme, contrasts, inkIn, REAL_THEMES, type RealTheme } from '../helpers/browser/rendering';
import { ROOT } from '../helpers/paths';

const strings = panelStrings((message, ...args) => format(message, ...args.map(String)));
const germanBundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<
  string,
  string
>;
const germanStrings = panelStrings((message, ...args) =>
  format(germanBundle[message] ?? `MISSING ${message}`, ...args.map(String)),
);
const RESULTS = join(ROOT, 'test-results');
mkdirSync(RESULTS, { recursive: true });

const chromium = panelBrowserForThisFile();

const at = '2026-11-25T13:05:00.000Z';
const items: ChatItem[] = [
  {
    id: 'h1',
    conversation: EVERYONE,
    direction: 'in',
    from: 'Lehrer',
    at,
    content: { kind: 'text', text: 'Tipp: recv() liefert höchstens 1024 Bytes.' },
  },
  {
    id: 'b1',
    conversation: 'bob',
    direction: 'in',
    from: 'Bob',
    at,
    content: { kind: 'text', text: 'Hallo Alice! Hast du die Aufgabe 2.12?' },
  },
  {
    id: 'a1',
    conversation: 'bob',
    direction: 'out',
    from: 'Alice',
    at,
    content: { kind: 'text', text: 'Ja, schau:' },
    delivery: 'delivered',
  },
  {
    id: 'a2',
    conversation: 'bob',
    direction: 'out',
    from: 'Alice',
    at,
    delivery: 'pending',
    content: {
      kind: 'snippet',
      snippet: {
        code: 'def empfangen(sock):\n    # eine Nachricht lesen\n    return sock.recv(1024).decode("utf-8")',
        language: 'python',
        file: 'client.py',
        lines: { start: 12, end: 14 },
      },
    },
  },
  {
    id: 'a3',
    conversation: 'bob',
    direction: 'out',
    from: 'Alice',
    at,
    content: { kind: 'text', text: 'Bist du noch da?' },
    delivery: 'failed',
    failure: 'Bob is not online.',
  },
];

/** A teacher's hints: two from before Alice joined, one text and one snippet since. */
const hints: ChatItem[] = [
  {
    id: 't1',
    conversation: EVERYONE,
    direction: 'in',
    from: 'Frau Keller',
    at: '2026-11-25T09:10:00.000Z',
    teacher: true,
    earlier: true,
    content: { kind: 'text', text: 'Port 12345, Name zuerst.' },
  },
  {
    id: 't2',
    conversation: EVERYONE,
    direction: 'in',
    from: 'Frau Keller',
    at: '2026-11-25T09:20:00.000Z',
    teacher: true,
    earlier: true,
    content: { kind: 'text', text: 'Empfänger:Text, ohne Leerzeichen.' },
  },
  {
    id: 't3',
    conversation: EVERYONE,
    direction: 'in',
    from: 'Frau Keller',
    at: '2026-11-25T10:00:00.000Z',
    teacher: true,
    content: {
      kind: 'snippet',
      snippet: { code: 'sock.sendall(f"{name}\\n".encode())', language: 'python', file: 'hint.py' },
    },
  },
  {
    id: 't4',
    conversation: EVERYONE,
    direction: 'in',
    from: 'Frau Keller',
    at: '2026-11-25T10:30:00.000Z',
    teacher: true,
    content: { kind: 'text', text: 'Denkt an decode("utf-8").' },
  },
];

function snapshot(overrides: Partial<ChatSnapshot> = {}): ChatSnapshot {
  return {
    connection: {
      kind: 'connected',
      name: 'Alice',
      server: '127.0.0.1:12345',
      dialect: 'Classroom Relay',
      role: 'student',
    },
    conversations: [
      { id: EVERYONE, label: strings.everyone, online: true, unread: 1 },
      { id: 'bob', label: 'Bob', online: true, unread: 0 },
      { id: 'carol', label: 'Carol', online: false, unread: 3 },
    ],
    items: structuredClone(items),
    maxTextBytes: 100,
    ...overrides,
  };
}

interface PanelOptions {
  theme?: 'dark' | 'light' | 'high-contrast';
  select?: string;
  snapshot?: ChatSnapshot;
  viewport?: { width: number; height: number };
  lang?: string;
  /** VS Code's own theme and default styles, applied before the host's first message. */
  realTheme?: RealTheme;
}

/** Failures of the page's own script, collected for every page the tests open. */
const pageErrors = new WeakMap<Page, string[]>();

async function panel(options: PanelOptions = {}): Promise<Page> {
  const page = await openPanel(chromium.browser, chromium.server.url(options.theme ?? 'dark', options.lang));
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.viewport) await page.setViewportSize(options.viewport);
  if (options.realTheme) await applyRealTheme(page, options.realTheme);
  await fromHost(page, {
    type: 'init',
    strings: options.lang === 'de' ? germanStrings : strings,
    snapshot: options.snapshot ?? snapshot(),
  } satisfies HostToPanel);
  const select = options.select ?? 'bob';
  if (select) await fromHost(page, { type: 'focus', conversation: select } satisfies HostToPanel);
  await page.waitForSelector('.messages > *');
  return page;
}

async function close(page: Page): Promise<void> {
  assert.deepEqual(pageErrors.get(page) ?? [], [], 'the panel threw');
  await page.close();
}

const send = (page: Page, message: HostToPanel) => fromHost(page, message);
const sent = async (page: Page, type: string) => (await posted(page)).filter((message) => message.type === type);
const savedState = (page: Page) => page.evaluate(() => sessionStorage.getItem('vscode-state') ?? '');

function bobHistory(count: number, snippetEvery = 0): ChatItem[] {
  return Array.from({ length: count }, (_, index): ChatItem => ({
    id: `m${index}`,
    conversation: 'bob',
    direction: index % 2 ? 'out' : 'in',
    from: index % 2 ? 'Alice' : 'Bob',
    at,
    ...(index % 2 ? { delivery: 'delivered' as const } : {}),
    content:
      snippetEvery && index % snippetEvery === 0
        ? {
            kind: 'snippet',
            snippet: { code: `def teil_${index}(sock):\n    return sock.recv(1024)`, language: 'python' },
          }
        : { kind: 'text', text: `Nachricht ${index}: wie weit bist du mit der Aufgabe?` },
  }));
}

// ---- messages ----

test('messages show sender, time, delivery state and failure reason; the list shows presence and unread badges', async () => {
  const page = await panel();
  const rows = await page.$$eval('.messages .item', (elements) =>
    elements.map((element) => ({
      from: element.querySelector('.from')?.textContent,
      time: element.querySelector('time')?.textContent,
      delivery: element.querySelector('.delivery')?.textContent ?? null,
      failure: element.querySelector('.failure')?.textContent ?? null,
    })),
  );
  assert.equal(rows.length, 4);
  assert.deepEqual(
    rows.map((row) => [row.from, row.delivery, row.failure]),
    [
      ['Bob', null, null],
      ['You', 'delivered', null],
      ['You', 'pending', null],
      ['You', 'failed', 'Bob is not online.'],
    ],
  );
  assert.match(rows[0]!.time!, /^\d\d:\d\d/);
  const conversations = await page.$$eval('.conversation', (elements) =>
    elements.map((element) => ({
      label: element.querySelector('.label')?.textContent,
      online: element.querySelector('.presence')?.classList.contains('online'),
      badge: element.querySelector('.badge')?.getAttribute('aria-label') ?? null,
      current: element.getAttribute('aria-current'),
    })),
  );
  assert.deepEqual(conversations, [
    { label: 'Everyone / hints', online: true, badge: '1 unread', current: null },
    { label: 'Bob', online: true, badge: null, current: 'true' },
    { label: 'Carol', online: false, badge: '3 unread', current: null },
  ]);
  assert.equal(await page.textContent('.status'), 'Connected as Alice to 127.0.0.1:12345 (Classroom Relay).');
  await close(page);
});

test('markup from the network arrives as visible text and runs nothing', async () => {
  const page = await panel();
  const attacks = [
    '<img src=x onerror="window.__pwned=1">',
    '<script>window.__pwned=2</script>',
    '<a href="javascript:window.__pwned=3">klick</a>',
    '<svg onload="window.__pwned=4"></svg>',
  ];
  for (const [index, text] of attacks.entries()) {
    await send(page, {
      type: 'item',
      announce: true,
      item: {
        id: `x${index}`,
        conversation: 'bob',
        direction: 'in',
        from: '<b onmouseover=alert(1)>Bob</b>',
        at,
        content: { kind: 'text', text },
      },
    });
  }
  await send(page, {
    type: 'item',
    announce: false,
    item: {
      id: 'xs',
      conversation: 'bob',
      direction: 'in',
      from: 'Bob',
      at,
      content: {
        kind: 'snippet',
        snippet: { code: '<img src=x onerror="window.__pwned=5">', language: 'html', file: '<script>x</script>.html' },
      },
    },
  });
  await send(page, {
    type: 'item',
    announce: false,
    item: {
      id: 'xh',
      conversation: EVERYONE,
      direction: 'in',
      from: '<img src=x onerror="window.__pwned=6">',
      teacher: true,
      at,
      content: { kind: 'text', text: '<img src=x onerror="window.__pwned=7">' },
    },
  });
  await page.waitForSelector('[data-id="xs"]');
  await page.waitForSelector('[data-hint-id="xh"]');
  for (const [index, text] of attacks.entries())
    assert.equal(await page.textContent(`[data-id="x${index}"] .text`), text);
  assert.equal(await page.textContent('[data-id="x0"] .from'), '<b onmouseover=alert(1)>Bob</b>');
  assert.equal(await page.textContent('[data-id="xs"] code'), '<img src=x onerror="window.__pwned=5">');
  assert.equal(await page.textContent('[data-hint-id="xh"] .hint-text'), '<img src=x onerror="window.__pwned=7">');
  assert.equal(
    await page.$$eval(
      '.messages img, .messages script, .messages svg, .messages a, .messages b, .hints img',
      (found) => found.length,
    ),
    0,
  );
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  await close(page);
});

test('snippets are highlighted, keep their code byte for byte, and their buttons ask the host to act', async () => {
  const page = await panel();
  const snippet = items[3]!.content as { kind: 'snippet'; snippet: { code: string } };
  assert.equal(await page.textContent('[data-id="a2"] code'), snippet.snippet.code);
  assert.ok(await page.$('[data-id="a2"] code .token.keyword'), 'keywords are marked');
  assert.ok(await page.$('[data-id="a2"] code .token.comment'), 'comments are marked');
  assert.equal(await page.textContent('[data-id="a2"] figcaption'), 'python client.py lines 12–14');
  assert.equal(await page.$('[data-id="a2"] .hidden-warning'), null, 'ordinary code is not flagged');
  for (const [action, label] of [
    ['insert', 'Insert at cursor'],
    ['open', 'Open in new editor'],
    ['copy', 'Copy'],
  ] as const) {
    await page.locator('[data-id="a2"]').getByRole('button', { name: label }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'snippet', action, itemId: 'a2' });
  }
  await close(page);
});

test('code with bidi controls or invisible characters is flagged before Insert, and each character is shown', async () => {
  const page = await panel();
  // The classic Trojan Source line: reads as a comment, runs as code.
  const code =
    'access = "user"\nif access != "user\u202E \u2066# admin\u2069 \u2066":\n    print("hi\u200B")\ngruss = "👋🏽‍" + "👨‍👩‍👧"';
  await send(page, {
    type: 'item',
    announce: false,
    item: {
      id: 'tro',
      conversation: 'bob',
      direction: 'in',
      from: 'Bob',
      at,
      content: { kind: 'snippet', snippet: { code, language: 'python', file: 'check.py' } },
    },
  });
  await page.waitForSelector('[data-id="tro"] .hidden-warning');
  const warning = page.locator('[data-id="tro"] .hidden-warning');
  assert.match(await warning.locator('p').innerText(), /^Careful: this code contains 5 hidden characters/);
  assert.deepEqual(await warning.locator('li').allInnerTexts(), [
    'U+202E RIGHT-TO-LEFT OVERRIDE, line 2',
    'U+2066 LEFT-TO-RIGHT ISOLATE, line 2',
    'U+2069 POP DIRECTIONAL ISOLATE, line 2',
    'U+2066 LEFT-TO-RIGHT ISOLATE, line 2',
    'U+200B ZERO WIDTH SPACE, line 3',
  ]);
  // In the code each one is a visible marker, so none of them can reorder what the reader sees.
  assert.deepEqual(await page.locator('[data-id="tro"] code .hidden-char').allInnerTexts(), [
    'U+202E',
    'U+2066',
    'U+2069',
    'U+2066',
    'U+200B',
  ]);
  const shown = await page.textContent('[data-id="tro"] code');
  assert.doesNotMatch(shown!, /[\u202E\u2066\u2069\u200B]/);
  assert.match(shown!, /👨‍👩‍👧/, 'emoji joined with ZWJ are left alone');
  // The warning comes before the buttons and describes Insert for screen readers.
  const order = await page.$$eval('[data-id="tro"] figure > *', (children) =>
    children.map((child) => child.getAttribute('class') || child.tagName.toLowerCase()),
  );
  assert.deepEqual(order, ['figcaption', 'pre', 'hidden-warning', 'actions']);
  const insert = page.locator('[data-id="tro"]').getByRole('button', { name: 'Insert at cursor' });
  assert.equal(await insert.getAttribute('aria-describedby'), await warning.getAttribute('id'));
  await insert.click();
  assert.deepEqual(
    (await posted(page)).at(-1),
    { type: 'snippet', action: 'insert', itemId: 'tro' },
    'the host inserts the code as sent, byte for byte',
  );
  await close(page);
});

// ---- composer ----

test('composer: Enter sends, Shift+Enter starts a new line, Enter while composing with an IME does not send', async () => {
  const page = await panel();
  const box = page.locator('textarea');
  await box.fill('erste Zeile');
  await box.press('Shift+Enter');
  await box.pressSequentially('zweite Zeile');
  assert.equal(await box.inputValue(), 'erste Zeile\nzweite Zeile');
  // An Enter that confirms an IME composition carries isComposing and must not send.
  await box.evaluate((element) =>
    element.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }),
    ),
  );
  assert.equal((await sent(page, 'send')).length, 0);
  await box.press('Enter');
  assert.deepEqual(await sent(page, 'send'), [
    { type: 'send', conversation: 'bob', text: 'erste Zeile\nzweite Zeile' },
  ]);
  assert.equal(await box.inputValue(), '');
  await close(page);
});

test('a message longer than the relay allows is refused before sending, with a clear note', async () => {
  const page = await panel();
  const box = page.locator('textarea');
  await box.fill('ä'.repeat(60));
  await box.press('Enter');
  assert.equal(await page.textContent('.note'), format(strings.tooLong, 120, 100));
  assert.equal((await sent(page, 'send')).length, 0);
  assert.equal(await box.inputValue(), 'ä'.repeat(60), 'the text is kept for shortening');
  await close(page);
});

test('a student never writes to everyone: on the hints the composer is on the last person, and sending there shows that conversation', async () => {
  const page = await panel({ select: 'carol' });
  await send(page, { type: 'focus', conversation: EVERYONE });
  await page.waitForSelector('.conversation.current[data-conversation="*"]');
  assert.deepEqual(
    await page.$$eval('.recipient option', (options) => options.map((option) => option.getAttribute('value'))),
    ['bob', 'carol'],
    'no "Everyone" to choose',
  );
  assert.equal(await page.inputValue('.recipient'), 'carol', 'the last person looked at');
  assert.equal(await page.textContent('.note'), 'Only teachers write to everyone. Your message goes to Carol.');
  await page.locator('textarea').fill('Hast du Aufgabe 3?');
  await page.locator('textarea').press('Enter');
  assert.deepEqual(await sent(page, 'send'), [{ type: 'send', conversation: 'carol', text: 'Hast du Aufgabe 3?' }]);
  await page.waitForSelector('.conversation.current[data-conversation="carol"]');
  await close(page);
});

test('a fresh student panel starts on a person too: the most recent conversation with messages, never everyone nor the first name listed', async () => {
  const base = snapshot();
  // Adam is online and listed first, but Alice has never written with him.
  const page = await panel({
    select: EVERYONE,
    snapshot: {
      ...base,
      conversations: [
        base.conversations[0]!,
        { id: 'adam', label: 'Adam', online: true, unread: 0 },
        ...base.conversations.slice(1),
      ],
    },
  });
  assert.equal(await page.inputValue('.recipient'), 'bob');
  await page.locator('button.send').click();
  assert.equal((await sent(page, 'send')).length, 0, 'nothing typed, nothing sent');
  await page.locator('textarea').fill('Hallo');
  await page.locator('button.send').click();
  assert.deepEqual(await sent(page, 'send'), [{ type: 'send', conversation: 'bob', text: 'Hallo' }]);
  await close(page);
});

test('a student who has written with nobody yet gets the guide on the hints, not a classmate chosen for them; Enter sends nothing', async () => {
  const base = snapshot();
  const page = await panel({ select: EVERYONE, snapshot: { ...base, items: [] } });
  assert.equal(await page.inputValue('.recipient'), '', 'no recipient chosen');
  assert.equal(
    await page.textContent('.note'),
    'Pick a classmate in the list, or press + (Alt+N) to write to someone.',
  );
  assert.ok(await page.locator('.messages .guide').isVisible(), 'the empty chat says what to do');
  await page.locator('textarea').fill('Hallo?');
  await page.locator('textarea').press('Enter');
  assert.deepEqual(await sent(page, 'send'), []);
  assert.equal(await page.inputValue('textarea'), 'Hallo?', 'the text stays');
  await close(page);
});

test('a conversation opened for someone new ("+", Message Peer) stays in view and in the composer before it is listed', async () => {
  const page = await panel();
  await send(page, { type: 'focus', conversation: 'dana' });
  await send(page, { type: 'conversations', conversations: snapshot().conversations });
  await page.waitForSelector('.messages .empty');
  assert.equal(await page.inputValue('.recipient'), 'dana');
  await page.locator('textarea').fill('Hallo Dana');
  await page.locator('textarea').press('Enter');
  assert.deepEqual(await sent(page, 'send'), [{ type: 'send', conversation: 'dana', text: 'Hallo Dana' }]);
  await close(page);
});

test('a teacher can write to everyone from the hints conversation', async () => {
  const teacher = snapshot({
    connection: {
      kind: 'connected',
      name: 'Frau Keller',
      server: '127.0.0.1:12345',
      dialect: 'Classroom Relay',
      role: 'teacher',
    },
    items: [...structuredClone(items), ...structuredClone(hints)],
  });
  const page = await panel({ select: EVERYONE, snapshot: teacher });
  assert.deepEqual(
    await page.$$eval('.recipient option', (options) => options.map((option) => option.getAttribute('value'))),
    ['*', 'bob', 'carol'],
  );
  assert.equal(await page.inputValue('.recipient'), EVERYONE);
  assert.equal(await page.isHidden('.hints'), true, 'a teacher sees the hints as messages, not pinned');
  assert.equal(await page.isHidden('.raise-hand'), true, 'teachers raise no hands');
  await page.locator('textarea').fill('Noch 10 Minuten.');
  await page.locator('textarea').press('Enter');
  assert.deepEqual(await sent(page, 'send'), [{ type: 'send', conversation: EVERYONE, text: 'Noch 10 Minuten.' }]);
  await close(page);
});

// ---- teacher mode ----

test('teacher messages carry a role badge, whatever the name; a student named like a teacher gets none', async () => {
  const page = await panel();
  await send(page, {
    type: 'item',
    announce: false,
    item: {
      id: 'k1',
      conversation: 'bob',
      direction: 'in',
      from: 'Bob',
      teacher: true,
      at,
      content: { kind: 'text', text: 'Schau dir Zeile 3 an.' },
    },
  });
  await send(page, {
    type: 'item',
    announce: false,
    item: {
      id: 'k2',
      conversation: 'bob',
      direction: 'in',
      from: 'Teacher (Lehrperson)',
      at,
      content: { kind: 'text', text: 'Ich bin die Lehrerin!' },
    },
  });
  await page.waitForSelector('[data-id="k2"]');
  assert.equal(await page.textContent('[data-id="k1"] .role-badge'), 'Teacher');
  assert.equal(await page.textContent('[data-id="k1"] .from'), 'Bob', 'the badge is not part of the name');
  assert.equal(await page.$('[data-id="k2"] .role-badge'), null);
  await close(page);
  const german = await panel({ lang: 'de', snapshot: snapshot({ items: structuredClone(hints) }), select: EVERYONE });
  assert.equal(await german.textContent('[data-id="t4"] .role-badge'), 'Lehrperson');
  assert.equal(await german.textContent('[data-hint-id="t4"] .role-badge'), 'Lehrperson');
  await close(german);
});

test("a student sees the teacher's hints pinned at the top, newest first, earlier ones with their time, a snippet hint with its actions", async () => {
  const page = await panel({ snapshot: snapshot({ items: [...structuredClone(items), ...structuredClone(hints)] }) });
  assert.equal(await page.locator('.hints-toggle').innerText(), '▾ Hints from your teacher (4)');
  assert.deepEqual(await page.$$eval('.hint', (found) => found.map((hint) => hint.getAttribute('data-hint-id'))), [
    't4',
    't3',
    't2',
    't1',
  ]);
  const times = await page.$$eval('.hint time', (found) => found.map((element) => element.textContent));
  assert.equal(times.length, 4);
  for (const text of times.slice(0, 2)) assert.match(text ?? '', /^\d\d:\d\d( [AP]M)?$/);
  for (const text of times.slice(2)) assert.match(text ?? '', /^sent earlier, at \d\d:\d\d( [AP]M)?$/);
  assert.ok(await page.$('[data-hint-id="t3"] code .token.string'), 'the snippet hint is highlighted');
  await page.locator('[data-hint-id="t3"]').getByRole('button', { name: 'Insert at cursor' }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'snippet', action: 'insert', itemId: 't3' });
  // The hints conversation still lists them, and a hint that arrives now goes on top.
  await send(page, {
    type: 'item',
    announce: true,
    item: {
      id: 't5',
      conversation: EVERYONE,
      direction: 'in',
      from: 'Frau Keller',
      teacher: true,
      at: '2026-11-25T11:00:00.000Z',
      content: { kind: 'text', text: 'Pause!' },
    },
  });
  await page.waitForSelector('.hint[data-hint-id="t5"]:first-child');
  assert.equal(await page.textContent('#announcer'), 'New message from Frau Keller: Pause!');
  await page.getByRole('button', { name: /Everyone/ }).click();
  assert.equal(await page.textContent('[data-id="t1"] time'), times[3], 'the conversation marks earlier hints too');
  assert.equal(await page.textContent('[data-id="t5"] .text'), 'Pause!');
  // An older host sends no teacher flag: nothing is pinned, and the panel works as before.
  await close(page);
  const older = await panel({
    snapshot: snapshot({
      connection: { kind: 'connected', name: 'Alice', server: 'x', dialect: 'Classroom Relay' },
      items: [...structuredClone(items), ...hints.map(({ teacher: _, ...rest }) => structuredClone(rest))],
    }),
  });
  assert.equal(await older.isHidden('.hints'), true);
  assert.equal(await older.isHidden('.raise-hand'), true, 'no role, no raise hand');
  await close(older);
});

test('hints can be collapsed and dismissed one by one; both survive a reload, and cleared hints stay gone', async () => {
  const withHints = snapshot({ items: [...structuredClone(items), ...structuredClone(hints)] });
  const page = await panel({ snapshot: withHints });
  await page.locator('[data-hint-id="t2"]').getByRole('button', { name: 'Dismiss this hint' }).click();
  assert.deepEqual(await page.$$eval('.hint', (found) => found.map((hint) => hint.getAttribute('data-hint-id'))), [
    't4',
    't3',
    't1',
  ]);
  await page.getByRole('button', { name: /Hints from your teacher \(3\)/ }).click();
  assert.equal(await page.getAttribute('.hints-toggle', 'aria-expanded'), 'false');
  assert.equal(await page.isHidden('.hint-list'), true);
  await page.reload();
  await send(page, { type: 'init', strings, snapshot: withHints });
  await page.waitForSelector('.hints-toggle');
  assert.equal(await page.getAttribute('.hints-toggle', 'aria-expanded'), 'false', 'still collapsed');
  await page.locator('.hints-toggle').click();
  assert.deepEqual(
    await page.$$eval('.hint', (found) => found.map((hint) => hint.getAttribute('data-hint-id'))),
    ['t4', 't3', 't1'],
    't2 stays dismissed',
  );
  await send(page, { type: 'hintsCleared' });
  await page.waitForSelector('.hints', { state: 'hidden' });
  await page.reload();
  await send(page, { type: 'init', strings, snapshot: withHints });
  await page.waitForSelector('.messages .item');
  assert.equal(await page.isHidden('.hints'), true, 'cleared hints are not pinned again from the history');
  await send(page, {
    type: 'item',
    announce: false,
    item: {
      id: 't9',
      conversation: EVERYONE,
      direction: 'in',
      from: 'Frau Keller',
      teacher: true,
      at,
      content: { kind: 'text', text: 'Neue Stunde.' },
    },
  });
  await page.waitForSelector('.hint[data-hint-id="t9"]');
  await close(page);
});

test('a question takes as many characters as the relay takes bytes, and one of more bytes is refused in the form, saying so', async () => {
  const page = await panel();
  await page.locator('.raise-hand').click();
  const question = page.getByRole('textbox', { name: 'Your question (optional)' });
  assert.equal(await question.getAttribute('maxlength'), String(MAX_QUESTION_BYTES));
  // 400 characters of three bytes each: within the field, over the relay's bytes.
  await question.fill('€'.repeat(400));
  await question.press('Enter');
  const error = page.locator('.hand-error');
  assert.equal(await error.innerText(), format(strings.questionTooLong, 1200, MAX_QUESTION_BYTES));
  assert.equal(await question.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await sent(page, 'raiseHand'), [], 'nothing is sent, nothing is cut');
  await question.fill('€'.repeat(300));
  assert.equal(await error.isVisible(), false);
  await question.press('Enter');
  assert.deepEqual((await sent(page, 'raiseHand')).at(-1), { type: 'raiseHand', up: true, question: '€'.repeat(300) });
  assert.equal(await page.$('.hand-form'), null);
  await close(page);
});

test('a student raises a hand with a question, sees that it is up, and lowers it; a muted student sees until when', async () => {
  const page = await panel();
  const hand = page.locator('.raise-hand');
  assert.equal(await hand.innerText(), 'Raise hand');
  await hand.click();
  const question = page.getByRole('textbox', { name: 'Your question (optional)' });
  await question.fill('Wie lese ich mehr als 1024 Bytes?');
  await question.press('Enter');
  assert.deepEqual((await sent(page, 'raiseHand')).at(-1), {
    type: 'raiseHand',
    up: true,
    question: 'Wie lese ich mehr als 1024 Bytes?',
  });
  await send(page, {
    type: 'standing',
    hand: { at: '2026-11-25T10:32:00.000Z', question: 'Wie lese ich mehr als 1024 Bytes?' },
  });
  await page.waitForSelector('.hand-up');
  assert.match(
    await page.locator('.hand-up').innerText(),
    /^Your hand is up \(since \d\d:\d\d( [AP]M)?\): Wie lese ich mehr als 1024 Bytes\?$/,
  );
  assert.equal(await hand.getAttribute('aria-pressed'), 'true');
  assert.equal(await hand.innerText(), 'Lower hand');
  await hand.click();
  assert.deepEqual((await sent(page, 'raiseHand')).at(-1), { type: 'raiseHand', up: false });
  await send(page, { type: 'standing', muted: { until: '2026-11-25T10:45:00.000Z' } });
  await page.waitForSelector('.muted-notice');
  assert.match(
    await page.locator('.muted-notice').innerText(),
    /^Your teacher muted you until \d\d:\d\d( [AP]M)?: your messages are refused until then\.$/,
  );
  assert.equal(await page.$('.hand-up'), null);
  // Without a question, and cancelled with Escape.
  await hand.click();
  await page.getByRole('textbox', { name: 'Your question (optional)' }).press('Escape');
  assert.equal(await page.$('.hand-form'), null);
  await hand.click();
  await page.locator('.hand-form').getByRole('button', { name: 'Raise hand' }).click();
  assert.deepEqual((await sent(page, 'raiseHand')).at(-1), { type: 'raiseHand', up: true });
  await send(page, { type: 'standing' });
  await page.waitForSelector('.standing', { state: 'hidden' });
  await close(page);
});

// ---- connection ----

test('while disconnected nobody shows as online, and while reconnecting "Reconnect now" asks the host', async () => {
  const page = await panel();
  await send(page, {
    type: 'connection',
    connection: { kind: 'reconnecting', retryInSeconds: 8, reason: 'the relay closed the connection' },
    maxTextBytes: 100,
  });
  await page.waitForSelector('.status.reconnecting');
  assert.deepEqual(await page.$$eval('.presence', (dots) => dots.map((dot) => dot.getAttribute('class'))), [
    'presence unknown',
    'presence unknown',
    'presence unknown',
  ]);
  assert.equal(
    await page.getAttribute('[data-conversation="bob"] .presence', 'aria-label'),
    'unknown while not connected',
  );
  assert.equal(await page.locator('.status button').innerText(), 'Reconnect now');
  await page.locator('.status button').click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'reconnectNow' });
  await send(page, { type: 'connection', connection: { kind: 'disconnected' }, maxTextBytes: 100 });
  await page.waitForSelector('.status.disconnected');
  assert.equal(await page.locator('.status button').innerText(), 'Connect');
  assert.equal(await page.$$eval('.presence.online', (dots) => dots.length), 0);
  await send(page, {
    type: 'connection',
    connection: {
      kind: 'connected',
      name: 'Alice',
      server: '127.0.0.1:12345',
      dialect: 'Classroom Relay',
      role: 'student',
    },
    maxTextBytes: 100,
  });
  await page.waitForSelector('.status.connected');
  assert.deepEqual(await page.$$eval('.presence', (dots) => dots.map((dot) => dot.getAttribute('class'))), [
    'presence online',
    'presence online',
    'presence offline',
  ]);
  assert.equal(await page.$('.status button'), null);
  await close(page);
});

// ---- guidance and accessibility ----

test('an empty panel says what to do, and every icon button has a label and a tooltip', async () => {
  const page = await panel({
    select: '',
    snapshot: snapshot({
      items: [],
      conversations: [{ id: EVERYONE, label: strings.everyone, online: true, unread: 0 }],
    }),
  });
  assert.equal(
    await page.locator('.messages .guide').innerText(),
    'Pick a classmate in the list, or press + (Alt+N) to write to someone.',
  );
  assert.equal(
    await page.textContent('.note'),
    'Pick a classmate in the list, or press + (Alt+N) to write to someone.',
  );
  assert.equal(await page.getAttribute('.new-conversation', 'aria-label'), 'New conversation (Alt+N)');
  await page.locator('textarea').fill('an wen?');
  await page.locator('textarea').press('Enter');
  assert.equal((await sent(page, 'send')).length, 0, 'with nobody to write to, nothing goes to everyone');
  await page.keyboard.press('Alt+N');
  assert.deepEqual((await posted(page)).at(-1), { type: 'newConversation' });
  await page.getByRole('button', { name: 'New conversation (Alt+N)' }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'newConversation' });
  await close(page);

  const full = await panel({ snapshot: snapshot({ items: [...structuredClone(items), ...structuredClone(hints)] }) });
  await full.locator('.raise-hand').click();
  const buttons = await full.$$eval('button', (found) =>
    found
      .filter((button) => !button.closest('[hidden]'))
      .map((button) => ({
        text: button.textContent?.trim() ?? '',
        label: button.getAttribute('aria-label'),
        title: button.getAttribute('title'),
      })),
  );
  assert.ok(buttons.length >= 15, `${buttons.length} buttons`);
  for (const button of buttons) {
    const name = button.label ?? button.text;
    assert.match(name, /\p{L}{2}/u, `a button without a readable name: ${JSON.stringify(button)}`);
    // An icon button shows no word of its own: its name and its tooltip say what it does.
    if (!/\p{L}{2}/u.test(button.text))
      assert.ok(button.label && button.title, `icon button ${JSON.stringify(button)}`);
  }
  await close(full);
});

test('the panel is keyboard reachable: Tab moves through conversations, hints, messages and composer', async () => {
  const page = await panel({ snapshot: snapshot({ items: [...structuredClone(items), ...structuredClone(hints)] }) });
  const reached = new Set<string>();
  for (let step = 0; step < 30; step++) {
    await page.keyboard.press('Tab');
    reached.add(
      await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return element ? `${element.tagName.toLowerCase()}.${element.className.split(' ')[0] ?? ''}` : 'none';
      }),
    );
  }
  for (const expected of [
    'button.conversation',
    'button.hints-toggle',
    'button.icon',
    'div.messages',
    'select.recipient',
    'textarea.',
    'button.raise-hand',
    'button.send',
  ]) {
    assert.ok(reached.has(expected), `${expected} in ${[...reached].join(', ')}`);
  }
  await close(page);
});

test('new incoming messages are announced in a live region and clicking a conversation tells the host', async () => {
  const page = await panel();
  assert.equal(await page.getAttribute('.messages', 'role'), 'log');
  await send(page, {
    type: 'item',
    announce: true,
    item: { id: 'n1', conversation: 'bob', direction: 'in', from: 'Bob', at, content: { kind: 'text', text: 'Neu!' } },
  });
  await page.waitForSelector('[data-id="n1"]');
  assert.equal(await page.textContent('#announcer'), 'New message from Bob: Neu!');
  assert.equal(await page.getAttribute('#announcer', 'aria-live'), 'polite');
  await page.getByRole('button', { name: /Carol/ }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'select', conversation: 'carol' });
  assert.equal(await page.textContent('.messages'), 'No messages yet.');
  await close(page);
});

// ---- long histories ----

test("the panel keeps only the last items of a conversation and asks the host for older ones, keeping the reader's place", async () => {
  const history = bobHistory(1000, 10);
  const page = await panel({ snapshot: snapshot({ items: history }) });
  assert.equal(await page.$$eval('.messages .item', (found) => found.length), PANEL_KEEP);
  assert.ok(
    await page.locator('.messages').evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight < 2),
    'opens at the newest message',
  );
  assert.equal(await page.getAttribute('.messages .item', 'data-id'), `m${1000 - PANEL_KEEP}`);
  await page.locator('.messages').evaluate((list) => {
    list.scrollTop = 0;
  });
  await page.getByRole('button', { name: 'Show older messages' }).click();
  assert.deepEqual((await posted(page)).at(-1), {
    type: 'loadOlder',
    conversation: 'bob',
    before: `m${1000 - PANEL_KEEP}`,
    count: PANEL_KEEP,
  });
  const firstShown = await page
    .locator(`[data-id="m${1000 - PANEL_KEEP}"]`)
    .evaluate((element) => element.getBoundingClientRect().top);
  await send(page, {
    type: 'older',
    conversation: 'bob',
    before: `m${1000 - PANEL_KEEP}`,
    items: history.slice(1000 - 2 * PANEL_KEEP, 1000 - PANEL_KEEP),
    more: true,
  });
  await page.waitForSelector(`[data-id="m${1000 - 2 * PANEL_KEEP}"]`);
  assert.equal(await page.$$eval('.messages .item', (found) => found.length), 2 * PANEL_KEEP);
  const after = await page
    .locator(`[data-id="m${1000 - PANEL_KEEP}"]`)
    .evaluate((element) => element.getBoundingClientRect().top);
  assert.ok(Math.abs(after - firstShown) < 2, `the message read stays in place (${firstShown} → ${after})`);
  // Leaving the conversation lets the older items go again.
  await page.getByRole('button', { name: /Carol/ }).click();
  await page.getByRole('button', { name: /Bob/ }).click();
  assert.equal(await page.$$eval('.messages .item', (found) => found.length), PANEL_KEEP);
  // A delivery update of an item the panel let go does not come back as a new message.
  await send(page, { type: 'item', announce: false, item: { ...history[1]!, delivery: 'failed', failure: 'x' } });
  await send(page, {
    type: 'item',
    announce: false,
    item: {
      id: 'fresh',
      conversation: 'bob',
      direction: 'in',
      from: 'Bob',
      at,
      content: { kind: 'text', text: 'neu' },
    },
  });
  await page.waitForSelector('[data-id="fresh"]');
  assert.equal(await page.$('[data-id="m1"]'), null);
  assert.equal(await page.$$eval('.messages .item', (found) => found.length), PANEL_KEEP);
  await close(page);
});

test('the panel saves only its view state, never the items, and restores selection and draft after a reload', async () => {
  const page = await panel({ snapshot: snapshot({ items: [...bobHistory(500, 10), ...structuredClone(hints)] }) });
  await page.locator('textarea').fill('noch nicht fertig');
  const state = JSON.parse(await savedState(page)) as { drafts: unknown };
  assert.deepEqual(Object.keys(state).sort(), [
    'dismissedHints',
    'drafts',
    'hintsCollapsed',
    'lastPerson',
    'selected',
    'version',
  ]);
  assert.deepEqual(state.drafts, { bob: 'noch nicht fertig' });
  assert.ok(JSON.stringify(state).length < 300, `${JSON.stringify(state).length} characters saved`);
  await page.reload();
  assert.equal(
    await page.locator('textarea').inputValue(),
    'noch nicht fertig',
    'the draft is back before the host answers',
  );
  assert.deepEqual((await posted(page)).at(-1), { type: 'ready' });
  assert.equal(await page.$$eval('.messages .item', (found) => found.length), 0, 'no items until the host sends them');
  await send(page, { type: 'init', strings, snapshot: snapshot() });
  await page.waitForSelector('.messages .item');
  assert.equal(await page.getAttribute('.conversation.current', 'data-conversation'), 'bob');
  assert.equal(await page.locator('textarea').inputValue(), 'noch nicht fertig');
  await close(page);
});

test('a saved state of the older panel (with every item in it) is read for its selection and draft only', async () => {
  const page = await panel();
  await page.evaluate((old) => sessionStorage.setItem('vscode-state', JSON.stringify(old)), {
    selected: 'carol',
    drafts: { carol: 'alt' },
    strings,
    snapshot: snapshot({ items: bobHistory(50) }),
  });
  await page.reload();
  await send(page, { type: 'init', strings, snapshot: snapshot() });
  await page.waitForSelector('.messages > *');
  assert.equal(await page.getAttribute('.conversation.current', 'data-conversation'), 'carol');
  assert.equal(await page.locator('textarea').inputValue(), 'alt');
  assert.ok(!(await savedState(page)).includes('snapshot'), 'the items are not saved again');
  await close(page);
});

test('each snippet is highlighted once: switching away and back, a delivery update or a new snapshot reuses its highlighted code', async () => {
  const page = await panel();
  await page.locator('[data-id="a2"] code').evaluate((code) => {
    (code as unknown as { marked: boolean }).marked = true;
  });
  await page.getByRole('button', { name: /Carol/ }).click();
  await page.getByRole('button', { name: /Bob/ }).click();
  await send(page, { type: 'item', announce: false, item: { ...structuredClone(items[3]!), delivery: 'delivered' } });
  await page.waitForSelector('[data-id="a2"] .delivery.delivered');
  assert.equal(
    await page.locator('[data-id="a2"] code').evaluate((code) => (code as unknown as { marked?: boolean }).marked),
    true,
  );
  // The host sends the whole chat again (its history loaded): the same snippet is not highlighted again.
  await send(page, { type: 'snapshot', snapshot: snapshot() });
  await page.waitForSelector('[data-id="a2"] .delivery.pending');
  assert.equal(
    await page.locator('[data-id="a2"] code').evaluate((code) => (code as unknown as { marked?: boolean }).marked),
    true,
  );
  await close(page);
});

test('a focus message before init is kept until the panel has its data, and throws nothing', async () => {
  const page = await openPanel(chromium.browser, chromium.server.url('dark'));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await send(page, { type: 'focus', conversation: 'carol' });
  await send(page, { type: 'item', announce: true, item: structuredClone(items[1]!) });
  await send(page, { type: 'conversations', conversations: [] });
  await send(page, { type: 'standing', hand: { at } });
  await send(page, { type: 'init', strings, snapshot: snapshot() });
  await page.waitForSelector('.conversation.current[data-conversation="carol"]');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a new message does not pull a reader of older messages down; at the bottom the list follows', async () => {
  const page = await panel({ snapshot: snapshot({ items: bobHistory(60) }) });
  await page.locator('.messages').evaluate((list) => {
    list.scrollTop = 100;
  });
  await send(page, {
    type: 'item',
    announce: true,
    item: {
      id: 'late',
      conversation: 'bob',
      direction: 'in',
      from: 'Bob',
      at,
      content: { kind: 'text', text: 'Noch da?' },
    },
  });
  await page.waitForSelector('[data-id="late"]');
  assert.equal(await page.locator('.messages').evaluate((list) => list.scrollTop), 100);
  assert.equal(await page.isVisible('.new-below'), true);
  await page.getByRole('button', { name: /New messages below/ }).click();
  const atBottom = () =>
    page.locator('.messages').evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight < 2);
  assert.equal(await atBottom(), true);
  assert.equal(await page.isHidden('.new-below'), true);
  await send(page, {
    type: 'item',
    announce: true,
    item: {
      id: 'later',
      conversation: 'bob',
      direction: 'in',
      from: 'Bob',
      at,
      content: { kind: 'text', text: 'Hallo?' },
    },
  });
  await page.waitForSelector('[data-id="later"]');
  assert.equal(await atBottom(), true);
  await close(page);
});

// ---- layout, fonts and colours ----

test('the composer stays in view at 300, 640 and 900 px wide, in English and German; the conversation list goes above the chat when narrow; nothing is clipped', async () => {
  const crowded = snapshot({
    items: [
      ...structuredClone(hints),
      ...bobHistory(40, 7),
      ...structuredClone(items).filter((item) => item.conversation === 'bob'),
    ],
    conversations: [
      { id: EVERYONE, label: strings.everyone, online: true, unread: 1 },
      ...['Bob', 'Carol', 'Dana', 'Erik', 'Fatima', 'Gian', 'Hanna'].map((name, index) => ({
        id: name.toLowerCase(),
        label: name,
        online: index % 3 !== 2,
        unread: index === 3 ? 2 : 0,
      })),
    ],
  });
  for (const { lang, ...viewport } of [
    { width: 300, height: 500 },
    { width: 640, height: 480 },
    { width: 900, height: 700 },
    { width: 300, height: 500, lang: 'de' },
  ]) {
    const page = await panel({ viewport, snapshot: crowded, realTheme: 'Dark Modern', ...(lang ? { lang } : {}) });
    assert.ok(
      await page.locator('.messages').evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight < 2),
      `${viewport.width}: opens at the newest message`,
    );
    await page.screenshot({
      path: join(RESULTS, `chat-panel-${viewport.width}x${viewport.height}${lang ? `-${lang}` : ''}.png`),
    });
    const layout = await page.evaluate(() => {
      // Messages out of view skip layout (content-visibility); every one is measured here.
      for (const item of Array.from(document.querySelectorAll<HTMLElement>('.item')))
        item.style.contentVisibility = 'visible';
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
      const deliveries = Array.from(document.querySelectorAll('.delivery')).map((element) => ({
        clipped: element.scrollWidth > element.clientWidth + 1,
        right: element.getBoundingClientRect().right,
        itemRight: element.closest('.item')!.getBoundingClientRect().right,
      }));
      const rows = new Set(
        Array.from(document.querySelectorAll('.conversation-list li')).map((li) =>
          Math.round(li.getBoundingClientRect().top),
        ),
      );
      return {
        textarea: box('textarea'),
        send: box('button.send'),
        messages: box('.messages'),
        nav: box('.conversations'),
        deliveries,
        rows: rows.size,
        pageWidth: document.documentElement.scrollWidth,
        width: innerWidth,
        height: innerHeight,
      };
    });
    const name = `${viewport.width}×${viewport.height}${lang ? ` ${lang}` : ''}`;
    for (const part of [layout.textarea, layout.send]) {
      assert.ok(
        part.top >= 0 && part.bottom <= layout.height && part.left >= 0 && part.right <= layout.width,
        `${name}: composer out of view ${JSON.stringify(part)}`,
      );
    }
    assert.ok(layout.messages.height >= 100, `${name}: messages get ${layout.messages.height}px`);
    assert.ok(layout.pageWidth <= layout.width, `${name}: the page scrolls sideways`);
    assert.ok(layout.deliveries.length > 0);
    for (const delivery of layout.deliveries)
      assert.ok(
        !delivery.clipped && delivery.right <= delivery.itemRight + 0.5,
        `${name}: ${JSON.stringify(delivery)}`,
      );
    assert.equal(layout.rows, 8, `${name}: the list is a column, a row for each conversation`);
    if (viewport.width <= 600)
      assert.ok(
        layout.nav.bottom <= layout.messages.top && layout.nav.height <= 0.3 * layout.height,
        `${name}: the list is above the chat within its own height (${layout.nav.height}px)`,
      );
    else assert.equal(layout.nav.height, layout.height, `${name}: the list is a column beside the chat`);
    await close(page);
  }
});

test('snippets use the editor font with room for every glyph: send_message and __name__ keep their underscores', async () => {
  const page = await panel({ select: 'carol', viewport: { width: 640, height: 480 }, realTheme: 'Dark Modern' });
  const snippet = (id: string, code: string): ChatItem => ({
    id,
    conversation: 'carol',
    direction: 'in',
    from: 'Carol',
    at,
    content: { kind: 'snippet', snippet: { code, language: 'python' } },
  });
  // The same code with spaces where the underscores are: the cells to compare.
  await send(page, { type: 'item', announce: false, item: snippet('under', 'send_message(sock)\n__name__') });
  await send(page, { type: 'item', announce: false, item: snippet('space', 'send message(sock)\n  name  ') });
  await page.waitForSelector('[data-id="space"]');
  const font = await page.$eval('[data-id="under"] code', (code) => ({
    family: getComputedStyle(code).fontFamily,
    size: getComputedStyle(code).fontSize,
  }));
  assert.deepEqual(font, { family: '"Droid Sans Mono", "monospace", monospace', size: '14px' });
  const cells = await page.evaluate(() => {
    /**
     * The pixel columns of each character at `indexes`, over the height of its line box: ink
     * outside it (an underscore below a line of height "normal") is what a scrolling code
     * block or the next line covers.
     */
    const columns = (id: string, indexes: number[]) => {
      const code = document.querySelector(`[data-id="${id}"] code`)!;
      const lineHeight = parseFloat(getComputedStyle(code).lineHeight);
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      const texts: Text[] = [];
      while (walker.nextNode()) texts.push(walker.currentNode as Text);
      return indexes.map((index) => {
        let offset = index;
        const text = texts.find((node) => (offset < node.length ? true : ((offset -= node.length), false)))!;
        const range = document.createRange();
        range.setStart(text, offset);
        range.setEnd(text, offset + 1);
        const char = range.getBoundingClientRect();
        const line = Number.isNaN(lineHeight) ? char.height : lineHeight;
        return { x: char.left + 1, y: char.top - (line - char.height) / 2, width: char.width - 2, height: line };
      });
    };
    const positions = [4, 19, 20, 25, 26];
    return { under: columns('under', positions), space: columns('space', positions) };
  });
  const png = await page.screenshot({ path: join(RESULTS, 'snippet-underscores.png') });
  const background: [number, number, number] = [0x2b, 0x2b, 0x2b];
  const under = await inkIn(chromium.browser, png, background, cells.under);
  const space = await inkIn(chromium.browser, png, background, cells.space);
  assert.deepEqual(space, [0, 0, 0, 0, 0], 'a space draws nothing');
  for (const [index, ink] of under.entries())
    assert.ok(
      ink >= 4,
      `underscore ${index} of send_message / __name__ shows ${ink} pixels of ink (${JSON.stringify(under)})`,
    );
  await close(page);
});

test('every delivery state, failure, error note, flagged character and the role badge meet WCAG AA (4.5:1) in the real light, dark and high-contrast themes', async () => {
  const figures: string[] = [];
  const failures: string[] = [];
  const trojan: ChatItem = {
    id: 'x1',
    conversation: 'bob',
    direction: 'in',
    from: 'Bob',
    at,
    content: {
      kind: 'snippet',
      snippet: { code: 'access = "user\u202E \u2066// admin\u2069\u2066"', language: 'python' },
    },
  };
  const withAll = snapshot({
    items: [
      ...structuredClone(items),
      {
        id: 's1',
        conversation: 'bob',
        direction: 'out',
        from: 'Alice',
        at,
        delivery: 'sent',
        content: { kind: 'text', text: 'über den Kurs-Server' },
      },
      ...structuredClone(hints).map((hint) => ({ ...hint, conversation: 'bob' })),
      trojan,
    ],
  });
  for (const theme of Object.keys(REAL_THEMES) as RealTheme[]) {
    const page = await panel({ snapshot: withAll, realTheme: theme });
    await send(page, { type: 'standing', muted: {} });
    await page.waitForSelector('.muted-notice');
    // Longer than the relay's 100 bytes: the note turns into an error.
    await page.locator('textarea').fill('x'.repeat(101));
    await page.locator('textarea').press('Enter');
    await page.waitForSelector('.note.error');
    const measured = await contrasts(page, [
      '.delivery.pending',
      '.delivery.delivered',
      '.delivery.sent',
      '.delivery.failed',
      '.failure',
      '.messages .role-badge',
      '.muted-notice',
      '.note.error',
      '.hidden-char',
      '.hidden-warning .char',
    ]);
    for (const { selector, text, background, ratio } of measured) {
      figures.push(
        `${theme.padEnd(19)} ${selector.padEnd(21)} ${text.slice(1)} on ${background.slice(1)}  ${ratio.toFixed(2)}:1`,
      );
      if (ratio < 4.5) failures.push(`${theme} ${selector}: ${ratio.toFixed(2)}`);
    }
    await page.screenshot({ path: join(RESULTS, `chat-panel-${theme.toLowerCase().replace(/ /g, '-')}.png`) });
    await close(page);
  }
  console.log(`contrast (WCAG 2.x), text on background (sRGB hex)\n${figures.join('\n')}`);
  assert.deepEqual(failures, []);
});

test('the panel follows the theme: dark, light and high contrast use the theme colours and borders', async () => {
  const colours: Record<string, { background: string; border: string; button: string }> = {};
  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    const page = await panel({
      theme,
      snapshot: snapshot({ items: [...structuredClone(items), ...structuredClone(hints)] }),
    });
    colours[theme] = await page.evaluate(() => {
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return {
        background: style('body').backgroundColor,
        border: style('.item').borderTopColor,
        button: style('.send').backgroundColor,
      };
    });
    await page.screenshot({ path: join(RESULTS, `chat-panel-${theme}.png`) });
    await close(page);
  }
  assert.equal(colours.dark!.background, 'rgb(30, 30, 30)');
  assert.equal(colours.light!.background, 'rgb(255, 255, 255)');
  assert.equal(colours['high-contrast']!.background, 'rgb(0, 0, 0)');
  assert.equal(colours['high-contrast']!.border, 'rgb(111, 195, 223)', 'high contrast outlines every message');
  assert.equal(colours.dark!.button, 'rgb(14, 99, 156)');
});

test('the Content Security Policy allows only the nonce script and local styles', async () => {
  const page = await openPanel(chromium.browser, chromium.server.url('dark'));
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp!, /default-src 'none'/);
  assert.match(csp!, /script-src 'nonce-TestNonce123'/);
  assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval/);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/.test(message.text())) violations.push(message.text());
  });
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.body.append(script);
  });
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline), undefined);
  assert.ok(violations.length >= 1, 'the inline script was blocked');
  await page.close();
});

test('the host reads what the webview posts through parsePanelMessage: known messages only, fields checked', () => {
  assert.deepEqual(parsePanelMessage({ type: 'send', conversation: 'bob', text: 'hi', extra: 1 }), {
    type: 'send',
    conversation: 'bob',
    text: 'hi',
  });
  assert.deepEqual(parsePanelMessage({ type: 'raiseHand', up: true, question: 'Wie?' }), {
    type: 'raiseHand',
    up: true,
    question: 'Wie?',
  });
  assert.deepEqual(parsePanelMessage({ type: 'raiseHand', up: false }), { type: 'raiseHand', up: false });
  assert.deepEqual(parsePanelMessage({ type: 'reconnectNow' }), { type: 'reconnectNow' });
  assert.deepEqual(parsePanelMessage({ type: 'loadOlder', conversation: 'bob', before: 'm1', count: 200 }), {
    type: 'loadOlder',
    conversation: 'bob',
    before: 'm1',
    count: 200,
  });
  for (const bad of [
    null,
    'send',
    42,
    {},
    { type: 'send', conversation: 'bob' },
    { type: 'send', conversation: 1, text: 'x' },
    { type: 'snippet', action: 'delete', itemId: 'a' },
    { type: 'raiseHand', up: 'yes' },
    { type: 'raiseHand', up: true, question: 7 },
    { type: 'loadOlder', conversation: 'bob', before: 'm1', count: -1 },
    { type: 'loadOlder', conversation: 'bob', before: 'm1', count: 1.5 },
    { type: 'send', conversation: 'bob', text: 'x'.repeat((1 << 20) + 1) },
    { type: '__proto__' },
  ]) {
    assert.equal(parsePanelMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
  }
});
