/** Long snippets and messages in the chat panel, in real headless Chromium: they fold to a screen until asked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { EVERYONE, type ChatItem } from '../../src/protocol/panel';
import { panelBrowserForThisFile } from '../helpers/browser/browser';
import {
  closeChatPanel,
  englishStrings as strings,
  germanStrings,
  openChatPanel,
  snapshotOf,
} from '../helpers/browser/panelFixture';

const chromium = panelBrowserForThisFile();

const conversations = [
  { id: EVERYONE, label: strings.everyone, online: true, unread: 0 },
  { id: 'bob', label: 'Bob', online: true, unread: 0 },
];
const at = '2026-11-25T13:05:00.000Z';
const BIG_LINES = 5000;
const bigCode = Array.from({ length: BIG_LINES }, (_, index) => `def teil_${index}(sock):  # ${index}`).join('\n');
const longLine = 'Das ist eine lange Zeile ohne Ende. '.repeat(560).slice(0, 20_000);

function snippetItem(id: string, code: string): ChatItem {
  return {
    id,
    conversation: 'bob',
    direction: 'in',
    from: 'Bob',
    at,
    content: { kind: 'snippet', snippet: { code, language: 'python', file: 'gross.py' } },
  };
}

function textItem(id: string, text: string): ChatItem {
  return { id, conversation: 'bob', direction: 'in', from: 'Bob', at, content: { kind: 'text', text } };
}

const open = (items: ChatItem[], viewport = { width: 900, height: 700 }, locale = 'en') =>
  openChatPanel(chromium.browser, chromium.server, {
    snapshot: snapshotOf(conversations, items),
    select: 'bob',
    viewport,
    locale,
  });

/** An item's box and what its code or text shows. */
const measure = (page: Page, id: string) =>
  page.evaluate((id) => {
    const item = document.querySelector<HTMLElement>(`[data-id="${id}"]`)!;
    item.style.contentVisibility = 'visible';
    const code = item.querySelector('pre code');
    const text = item.querySelector('.text');
    const pre = item.querySelector('pre');
    return {
      height: item.getBoundingClientRect().height,
      width: item.getBoundingClientRect().width,
      shown: (code ?? text)!.textContent ?? '',
      tokens: item.querySelectorAll('.token').length,
      preScrolls: pre ? pre.scrollWidth > pre.clientWidth : false,
      messagesWidth: document.querySelector('.messages')!.getBoundingClientRect().width,
      pageWidth: document.documentElement.scrollWidth,
      screen: innerHeight,
      toggle: item.querySelector('.fold-toggle')?.textContent ?? undefined,
      expanded: item.querySelector('.fold-toggle')?.getAttribute('aria-expanded') ?? undefined,
    };
  }, id);

test('a 5,000-line snippet shows its first 20 lines, highlighted, within a screen; "Show all (5000 lines)" shows every line and "Show less" folds it again', async () => {
  const page = await open([snippetItem('big', bigCode), textItem('after', 'Siehst du das?')]);
  const folded = await measure(page, 'big');
  assert.equal(folded.shown.split('\n').length, 20);
  assert.equal(folded.shown, bigCode.split('\n').slice(0, 20).join('\n'));
  assert.ok(folded.tokens > 0, 'the head is highlighted');
  assert.ok(folded.height < folded.screen, `folded item is ${folded.height}px on a ${folded.screen}px screen`);
  assert.equal(folded.toggle, `Show all (${BIG_LINES} lines)`);
  assert.equal(folded.expanded, 'false');
  // Open in new editor stays beside it.
  assert.ok(await page.locator('[data-id="big"] [data-action="open"]').isVisible());

  await page.click('[data-id="big"] .fold-toggle');
  const unfolded = await measure(page, 'big');
  assert.equal(unfolded.shown, bigCode);
  assert.ok(unfolded.height > BIG_LINES * 10, `unfolded item is ${unfolded.height}px`);
  assert.equal(unfolded.toggle, strings.showLess);
  assert.equal(unfolded.expanded, 'true');
  assert.equal(
    await page.evaluate(() => document.activeElement?.classList.contains('fold-toggle')),
    true,
    'the keyboard stays on the toggle',
  );

  await page.click('[data-id="big"] .fold-toggle');
  const again = await measure(page, 'big');
  assert.equal(again.shown.split('\n').length, 20);
  assert.ok(again.height < again.screen);
  await closeChatPanel(page);
});

test('a text message of one 20,000-character line wraps within its item, folded to a screen until "Show all"', async () => {
  for (const viewport of [
    { width: 900, height: 700 },
    { width: 300, height: 600 },
  ]) {
    const page = await open([textItem('long', longLine)], viewport);
    const folded = await measure(page, 'long');
    const name = `${viewport.width}×${viewport.height}`;
    assert.ok(folded.height < folded.screen, `${name}: folded item is ${folded.height}px`);
    assert.ok(folded.shown.length < 1000 && longLine.startsWith(folded.shown.slice(0, -1)), name);
    assert.ok(folded.pageWidth <= viewport.width, `${name}: the page scrolls sideways`);
    assert.equal(folded.toggle, strings.showAll);
    await page.click('[data-id="long"] .fold-toggle');
    const unfolded = await measure(page, 'long');
    assert.equal(unfolded.shown, longLine);
    assert.ok(unfolded.height > folded.height, `${name}: unfolded is taller`);
    assert.ok(unfolded.width <= unfolded.messagesWidth, `${name}: the item is no wider than the list`);
    assert.ok(unfolded.pageWidth <= viewport.width, `${name}: the page scrolls sideways`);
    await page.click('[data-id="long"] .fold-toggle');
    assert.ok((await measure(page, 'long')).height < folded.screen);
    await closeChatPanel(page);
  }
});

test('a snippet line of 20,000 characters scrolls sideways inside its item and never widens it', async () => {
  const page = await open([snippetItem('wide', `x = "${'a'.repeat(20_000)}"`)], { width: 640, height: 600 });
  const folded = await measure(page, 'wide');
  assert.ok(folded.preScrolls, 'the code scrolls sideways');
  assert.ok(folded.width <= folded.messagesWidth);
  assert.ok(folded.pageWidth <= 640);
  assert.ok(folded.height < folded.screen);
  assert.equal(folded.toggle, strings.showAll);
  await page.click('[data-id="wide"] .fold-toggle');
  const unfolded = await measure(page, 'wide');
  assert.equal(unfolded.shown, `x = "${'a'.repeat(20_000)}"`);
  assert.ok(unfolded.width <= unfolded.messagesWidth && unfolded.pageWidth <= 640);
  await closeChatPanel(page);
});

test('short items show whole, with no fold button; German names the fold in German', async () => {
  const page = await open([snippetItem('short', 'print("hallo")'), textItem('hi', 'Hallo!\nWie gehts?')]);
  assert.equal(await page.locator('.fold-toggle').count(), 0);
  await closeChatPanel(page);

  const german = await open([snippetItem('big', bigCode)], { width: 900, height: 700 }, 'de');
  assert.equal((await measure(german, 'big')).toggle, germanStrings.showAllLines.replace('{0}', String(BIG_LINES)));
  assert.match(germanStrings.showAllLines, /Zeilen/);
  await closeChatPanel(german);
});

test('a long pinned hint folds too, apart from the same hint in the list', async () => {
  const hint: ChatItem = {
    ...snippetItem('hint', bigCode),
    conversation: EVERYONE,
    from: 'Frau Keller',
    teacher: true,
  };
  const page = await openChatPanel(chromium.browser, chromium.server, {
    snapshot: snapshotOf(conversations, [hint]),
    select: EVERYONE,
    viewport: { width: 900, height: 700 },
  });
  const pinned = page.locator('.hint .snippet');
  assert.equal(await pinned.locator('pre code').evaluate((code) => code.textContent.split('\n').length), 20);
  await pinned.locator('.fold-toggle').click();
  assert.equal(await page.locator('.hint .snippet pre code').evaluate((code) => code.textContent), bigCode);
  assert.equal(
    await page.locator('[data-id="hint"] pre code').evaluate((code) => code.textContent.split('\n').length),
    20,
    'the same hint in the list stays folded',
  );
  await closeChatPanel(page);
});
