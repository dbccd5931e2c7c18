/**
 * The conversation list in real headless Chromium with a class of 30 and of 300: a column that
 * scrolls within its own height, filtered by name and to unread, moved through by keyboard,
 * leaving the messages at least half of the view in the side bar and in an editor tab.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { EVERYONE, type ChatItem, type ConversationView, type HostToPanel } from '../../src/protocol/panel';
import { fromHost, panelBrowserForThisFile, posted } from '../helpers/browser/browser';
import { closeChatPanel, englishStrings as strings, openChatPanel, snapshotOf } from '../helpers/browser/panelFixture';
import { ROOT } from '../helpers/paths';

const chromium = panelBrowserForThisFile();
const RESULTS = join(ROOT, 'test-results');

const NAMES = ['Zoë Müller', 'Ahmad Min', 'Pierre Lay', 'Frau Keller', 'Noémie Dubois', 'Luca Rossi', 'Émile Roux'];

/** A class of `count`: everyone's hints first, then the students; every fifth has unread messages. */
function classOf(count: number): ConversationView[] {
  const people = Array.from({ length: count }, (_, index): ConversationView => {
    const label = index < NAMES.length ? NAMES[index]! : `Student ${String(index + 1).padStart(3, '0')}`;
    return { id: label.toLowerCase(), label, online: index % 4 !== 3, unread: index % 5 === 1 ? (index % 3) + 1 : 0 };
  });
  return [{ id: EVERYONE, label: strings.everyone, online: true, unread: 0 }, ...people];
}

/** Enough messages with the first student to fill any view. */
function history(conversation: string, count = 40): ChatItem[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `m${index}`,
    conversation,
    direction: index % 2 ? 'out' : 'in',
    from: index % 2 ? 'Frau Keller' : 'Zoë Müller',
    at: '2026-11-25T13:05:00.000Z',
    content: { kind: 'text', text: `Frage ${index}: Wie lese ich die Antwort des Servers?` },
  }));
}

const labels = (page: Page) => page.$$eval('.conversation .label', (elements) => elements.map((e) => e.textContent));

async function teacherPanel(count: number, viewport = { width: 900, height: 700 }): Promise<Page> {
  return openChatPanel(chromium.browser, chromium.server, {
    snapshot: snapshotOf(classOf(count), history('zoë müller'), 'teacher'),
    select: 'zoë müller',
    viewport,
  });
}

test('with 30 and with 300 students the list is one column of rows that scrolls within its own box', async () => {
  for (const count of [30, 300]) {
    const page = await teacherPanel(count, { width: 300, height: 600 });
    const layout = await page.evaluate(() => {
      const list = document.querySelector('.conversation-list')!;
      const rows = Array.from(document.querySelectorAll('.conversation-list li')).map((li) =>
        li.getBoundingClientRect(),
      );
      return {
        rows: rows.length,
        lefts: new Set(rows.map((row) => Math.round(row.left))).size,
        descending: rows.every((row, index) => index === 0 || row.top > rows[index - 1]!.top),
        scrolls: list.scrollHeight > list.clientHeight,
        listHeight: list.getBoundingClientRect().height,
        pageWidth: document.documentElement.scrollWidth,
        pageHeight: document.documentElement.scrollHeight,
      };
    });
    await page.screenshot({ path: join(RESULTS, `conversation-list-${count}-300x600.png`) });
    assert.equal(layout.rows, count + 1, `${count}: every conversation has a row`);
    assert.equal(layout.lefts, 1, `${count}: the rows are one column`);
    assert.ok(layout.descending, `${count}: each row below the last`);
    assert.ok(layout.scrolls, `${count}: the list scrolls inside`);
    assert.ok(layout.listHeight <= 0.25 * 600, `${count}: the list takes ${layout.listHeight}px`);
    assert.ok(layout.pageWidth <= 300 && layout.pageHeight <= 601, `${count}: the page itself does not scroll`);
    await closeChatPanel(page);
  }
});

test('typing into the filter narrows the list by name, whatever the case and accents; Escape clears it', async () => {
  const page = await teacherPanel(300);
  await page.fill('.conversation-filter', 'zoe mull');
  assert.deepEqual(await labels(page), ['Zoë Müller']);
  await page.fill('.conversation-filter', 'EMILE');
  assert.deepEqual(await labels(page), ['Émile Roux']);
  await page.fill('.conversation-filter', 'student 29');
  assert.deepEqual(
    await labels(page),
    Array.from({ length: 10 }, (_, index) => `Student ${290 + index}`),
  );
  await page.fill('.conversation-filter', 'nobody like this');
  assert.deepEqual(await labels(page), []);
  assert.equal(await page.textContent('.no-match'), strings.noConversations);
  assert.ok(await page.isVisible('.no-match'));
  await page.press('.conversation-filter', 'Escape');
  assert.equal((await labels(page)).length, 301);
  assert.ok(await page.isHidden('.no-match'));
  await closeChatPanel(page);
});

test('"Unread only" keeps the conversations with unread messages and the one in view, and is remembered', async () => {
  const page = await teacherPanel(30);
  const unread = classOf(30).filter((conversation) => conversation.unread > 0);
  assert.ok(unread.length >= 5);
  assert.equal(await page.getAttribute('.unread-only', 'aria-pressed'), 'false');
  await page.click('.unread-only');
  assert.equal(await page.getAttribute('.unread-only', 'aria-pressed'), 'true');
  assert.deepEqual(await labels(page), [
    ...classOf(30)
      .filter((conversation) => conversation.unread > 0 || conversation.id === 'zoë müller')
      .map((conversation) => conversation.label),
  ]);
  assert.deepEqual(
    await page.$$eval('.conversation .badge', (badges) => badges.map((badge) => badge.textContent)),
    unread.map((conversation) => String(conversation.unread)),
  );
  // A new count from the host: the list follows it.
  const next = classOf(30).map((conversation) =>
    conversation.label === 'Student 030' ? { ...conversation, unread: 2 } : conversation,
  );
  await fromHost(page, { type: 'conversations', conversations: next } satisfies HostToPanel);
  assert.ok((await labels(page)).includes('Student 030'));
  await page.reload();
  await fromHost(page, {
    type: 'init',
    strings,
    snapshot: snapshotOf(classOf(30), [], 'teacher'),
    locale: 'en',
  } satisfies HostToPanel);
  await page.waitForSelector('.conversation');
  assert.equal(await page.getAttribute('.unread-only', 'aria-pressed'), 'true', 'remembered across a reload');
  await closeChatPanel(page);
});

test('the keyboard finds a conversation: type, Enter opens the first match; the arrow keys move through the rows', async () => {
  const page = await teacherPanel(300);
  await page.focus('.conversation-filter');
  await page.keyboard.type('rossi');
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).at(-1), { type: 'select', conversation: 'luca rossi' });
  assert.equal(await page.getAttribute('.conversation.current', 'data-conversation'), 'luca rossi');

  await page.fill('.conversation-filter', '');
  await page.focus('.conversation-filter');
  await page.keyboard.press('ArrowDown');
  const focused = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.conversation ?? null);
  assert.equal(await focused(), EVERYONE);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'ahmad min');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'student 300');
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).at(-1), { type: 'select', conversation: 'student 300' });
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'conversation-filter');
  // One row takes Tab: the list is one stop on the way through the panel, not 301.
  assert.equal(await page.locator('.conversation[tabindex="0"]').count(), 1);
  assert.equal(await page.getAttribute('.conversation-filter', 'aria-label'), strings.filterConversations);
  assert.equal(await page.getAttribute('.conversations', 'aria-label'), strings.conversations);
  await closeChatPanel(page);
});

test('the messages keep at least half of the view: side bar widths at 600 and 700 px high, an editor tab at 900 × 700 and 1280 × 800', async () => {
  for (const viewport of [
    { width: 300, height: 600 },
    { width: 300, height: 700 },
    { width: 420, height: 700 },
    { width: 900, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    for (const count of [30, 300]) {
      const page = await teacherPanel(count, viewport);
      const boxes = await page.evaluate(() => {
        const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
        return { messages: box('.messages'), composer: box('.composer'), height: innerHeight };
      });
      const name = `${viewport.width}×${viewport.height}, ${count}`;
      if (count === 30)
        await page.screenshot({ path: join(RESULTS, `chat-teacher-${viewport.width}x${viewport.height}.png`) });
      assert.ok(
        boxes.messages.height >= 0.48 * boxes.height,
        `${name}: the messages get ${boxes.messages.height}px of ${boxes.height}`,
      );
      assert.ok(boxes.composer.bottom <= boxes.height + 0.5, `${name}: the composer is in view`);
      await closeChatPanel(page);
    }
  }
});
