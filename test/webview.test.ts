/** The chat panel in real headless Chromium, loaded with the real bundle, stylesheet and CSP. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { panelStrings } from '../src/extension/core/panelStrings';
import { format, EVERYONE, type ChatItem, type ChatSnapshot } from '../src/protocol/panel';
import { fromHost, launchBrowser, openPanel, posted, servePanel } from './helpers/browser';
import { ROOT } from './helpers/processes';

const strings = panelStrings((message, ...args) => format(message, ...args.map(String)));
let browser: Browser;
let server: Awaited<ReturnType<typeof servePanel>>;

before(async () => {
  server = await servePanel();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const at = '2026-11-25T13:05:00.000Z';
const items: ChatItem[] = [
  { id: 'h1', conversation: EVERYONE, direction: 'in', from: 'Lehrer', at, content: { kind: 'text', text: 'Tipp: recv() liefert höchstens 1024 Bytes.' } },
  { id: 'b1', conversation: 'bob', direction: 'in', from: 'Bob', at, content: { kind: 'text', text: 'Hallo Alice! Hast du die Aufgabe 2.12?' } },
  { id: 'a1', conversation: 'bob', direction: 'out', from: 'Alice', at, content: { kind: 'text', text: 'Ja, schau:' }, delivery: 'delivered' },
  {
    id: 'a2', conversation: 'bob', direction: 'out', from: 'Alice', at, delivery: 'pending',
    content: { kind: 'snippet', snippet: { code: 'def empfangen(sock):\n    # eine Nachricht lesen\n    return sock.recv(1024).decode("utf-8")', language: 'python', file: 'client.py', lines: { start: 12, end: 14 } } },
  },
  { id: 'a3', conversation: 'bob', direction: 'out', from: 'Alice', at, content: { kind: 'text', text: 'Bist du noch da?' }, delivery: 'failed', failure: 'Bob is not online.' },
];

function snapshot(overrides: Partial<ChatSnapshot> = {}): ChatSnapshot {
  return {
    connection: { kind: 'connected', name: 'Alice', server: '127.0.0.1:12345', dialect: 'Classroom Relay' },
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

async function panel(theme: 'dark' | 'light' | 'high-contrast' = 'dark', select = 'bob'): Promise<Page> {
  const page = await openPanel(browser, server.url(theme));
  await fromHost(page, { type: 'init', strings, snapshot: snapshot() });
  if (select) await fromHost(page, { type: 'focus', conversation: select });
  await page.waitForSelector('.item');
  return page;
}

test('messages show sender, time, delivery state and failure reason; the list shows presence and unread badges', async () => {
  const page = await panel();
  const rows = await page.$$eval('.messages .item', (elements) => elements.map((element) => ({
    from: element.querySelector('.from')?.textContent, time: element.querySelector('time')?.textContent,
    delivery: element.querySelector('.delivery')?.textContent ?? null, failure: element.querySelector('.failure')?.textContent ?? null,
  })));
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((row) => [row.from, row.delivery, row.failure]), [
    ['Bob', null, null], ['You', 'delivered', null], ['You', 'pending', null], ['You', 'failed', 'Bob is not online.'],
  ]);
  assert.match(rows[0]!.time!, /^\d\d:\d\d/);
  const conversations = await page.$$eval('.conversation', (elements) => elements.map((element) => ({
    label: element.querySelector('.label')?.textContent, online: element.querySelector('.presence')?.classList.contains('online'),
    badge: element.querySelector('.badge')?.getAttribute('aria-label') ?? null, current: element.getAttribute('aria-current'),
  })));
  assert.deepEqual(conversations, [
    { label: 'Everyone / hints', online: true, badge: '1 unread', current: null },
    { label: 'Bob', online: true, badge: null, current: 'true' },
    { label: 'Carol', online: false, badge: '3 unread', current: null },
  ]);
  assert.equal(await page.textContent('.status'), 'Connected as Alice to 127.0.0.1:12345 (Classroom Relay).');
  await page.close();
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
    await fromHost(page, { type: 'item', announce: true, item: { id: `x${index}`, conversation: 'bob', direction: 'in', from: '<b onmouseover=alert(1)>Bob</b>', at, content: { kind: 'text', text } } });
  }
  await fromHost(page, { type: 'item', announce: false, item: { id: 'xs', conversation: 'bob', direction: 'in', from: 'Bob', at, content: { kind: 'snippet', snippet: { code: '<img src=x onerror="window.__pwned=5">', language: 'html', file: '<script>x</script>.html' } } } });
  await page.waitForSelector('[data-id="xs"]');
  for (const [index, text] of attacks.entries()) assert.equal(await page.textContent(`[data-id="x${index}"] .text`), text);
  assert.equal(await page.textContent('[data-id="x0"] .from'), '<b onmouseover=alert(1)>Bob</b>');
  assert.equal(await page.textContent('[data-id="xs"] code'), '<img src=x onerror="window.__pwned=5">');
  assert.equal(await page.$$eval('.messages img, .messages script, .messages svg, .messages a, .messages b', (found) => found.length), 0);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  await page.close();
});

test('snippets are highlighted, keep their code byte for byte, and their buttons ask the host to act', async () => {
  const page = await panel();
  const snippet = items[3]!.content as { kind: 'snippet'; snippet: { code: string } };
  assert.equal(await page.textContent('[data-id="a2"] code'), snippet.snippet.code);
  assert.ok(await page.$('[data-id="a2"] code .token.keyword'), 'keywords are marked');
  assert.ok(await page.$('[data-id="a2"] code .token.comment'), 'comments are marked');
  assert.equal(await page.textContent('[data-id="a2"] figcaption'), 'python client.py lines 12–14');
  for (const [action, label] of [['insert', 'Insert at cursor'], ['open', 'Open in new editor'], ['copy', 'Copy']] as const) {
    await page.getByRole('button', { name: label }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'snippet', action, itemId: 'a2' });
  }
  await page.close();
});

test('composer: Enter sends, Shift+Enter starts a new line, Enter while composing with an IME does not send', async () => {
  const page = await panel();
  const box = page.locator('textarea');
  await box.fill('erste Zeile');
  await box.press('Shift+Enter');
  await box.pressSequentially('zweite Zeile');
  assert.equal(await box.inputValue(), 'erste Zeile\nzweite Zeile');
  // An Enter that confirms an IME composition carries isComposing and must not send.
  await box.evaluate((element) => element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true })));
  assert.equal((await posted(page)).filter((message) => message.type === 'send').length, 0);
  await box.press('Enter');
  assert.deepEqual((await posted(page)).filter((message) => message.type === 'send'), [{ type: 'send', conversation: 'bob', text: 'erste Zeile\nzweite Zeile' }]);
  assert.equal(await box.inputValue(), '');
  await page.close();
});

test('a message longer than the relay allows is refused before sending, with a clear note', async () => {
  const page = await panel();
  const box = page.locator('textarea');
  await box.fill('ä'.repeat(60));
  await box.press('Enter');
  assert.equal(await page.textContent('.note'), format(strings.tooLong, 120, 100));
  assert.equal((await posted(page)).filter((message) => message.type === 'send').length, 0);
  assert.equal(await box.inputValue(), 'ä'.repeat(60), 'the text is kept for shortening');
  await page.close();
});

test('new incoming messages are announced in a live region and clicking a conversation tells the host', async () => {
  const page = await panel();
  assert.equal(await page.getAttribute('.messages', 'role'), 'log');
  await fromHost(page, { type: 'item', announce: true, item: { id: 'n1', conversation: 'bob', direction: 'in', from: 'Bob', at, content: { kind: 'text', text: 'Neu!' } } });
  await page.waitForSelector('[data-id="n1"]');
  assert.equal(await page.textContent('#announcer'), 'New message from Bob: Neu!');
  assert.equal(await page.getAttribute('#announcer', 'aria-live'), 'polite');
  await page.getByRole('button', { name: /Carol/ }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'select', conversation: 'carol' });
  assert.equal(await page.textContent('.messages'), 'No messages yet.');
  await page.close();
});

test('the panel is keyboard reachable: Tab moves through conversations, messages and composer', async () => {
  const page = await panel();
  const reached = new Set<string>();
  for (let step = 0; step < 14; step++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return element ? `${element.tagName.toLowerCase()}.${element.className.split(' ')[0] ?? ''}` : 'none';
    }));
  }
  for (const expected of ['button.conversation', 'div.messages', 'select.recipient', 'textarea.', 'button.send']) assert.ok(reached.has(expected), `${expected} in ${[...reached].join(', ')}`);
  await page.close();
});

test('after a reload the panel restores its conversation and draft before the host answers', async () => {
  const page = await panel();
  await page.locator('textarea').fill('noch nicht fertig');
  await page.reload();
  await page.waitForSelector('.item');
  assert.equal(await page.getAttribute('.conversation.current', 'data-conversation'), 'bob');
  assert.equal(await page.locator('textarea').inputValue(), 'noch nicht fertig');
  assert.equal(await page.$$eval('.messages .item', (found) => found.length), 4);
  assert.deepEqual((await posted(page)).at(-1), { type: 'ready' });
  await page.close();
});

test('the panel follows the theme: dark, light and high contrast use the theme colours and borders', async () => {
  const colours: Record<string, { background: string; border: string; button: string }> = {};
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    const page = await panel(theme);
    colours[theme] = await page.evaluate(() => {
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return { background: style('body').backgroundColor, border: style('.item').borderTopColor, button: style('.send').backgroundColor };
    });
    if (theme === 'dark') await page.screenshot({ path: join(ROOT, 'docs', 'chat-panel.png') });
    if (theme === 'high-contrast') await page.screenshot({ path: join(ROOT, 'test-results', 'chat-panel-high-contrast.png') });
    await page.close();
  }
  assert.equal(colours.dark!.background, 'rgb(30, 30, 30)');
  assert.equal(colours.light!.background, 'rgb(255, 255, 255)');
  assert.equal(colours['high-contrast']!.background, 'rgb(0, 0, 0)');
  assert.equal(colours['high-contrast']!.border, 'rgb(111, 195, 223)', 'high contrast outlines every message');
  assert.equal(colours.dark!.button, 'rgb(14, 99, 156)');
});

test('the Content Security Policy allows only the nonce script and local styles', async () => {
  const page = await openPanel(browser, server.url('dark'));
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
