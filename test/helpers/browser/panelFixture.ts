/**
 * The chat panel opened in Chromium as a host would open it: the English or German strings,
 * a snapshot, the conversation in view, a viewport; failures of the page's own script are
 * collected and checked on close.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { panelStrings } from '../../../src/extension/chat/panel/panelStrings';
import { EVERYONE, format, type ChatItem, type ChatSnapshot, type HostToPanel } from '../../../src/protocol/panel';
import { ROOT } from '../paths';
import { fromHost, openPanel, type PanelServer } from './browser';

export const englishStrings = panelStrings((message, ...args) => format(message, ...args.map(String)));
const germanBundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<
  string,
  string
>;
export const germanStrings = panelStrings((message, ...args) =>
  format(germanBundle[message] ?? `MISSING ${message}`, ...args.map(String)),
);

export interface FixtureOptions {
  snapshot: ChatSnapshot;
  /** The conversation in view; none asked for when empty. */
  select?: string;
  viewport?: { width: number; height: number };
  /** The panel's strings and VS Code's display language: 'de' is German, anything else English. */
  locale?: string;
}

/** A connected person's snapshot with these conversations and items. */
export function snapshotOf(
  conversations: ChatSnapshot['conversations'],
  items: ChatItem[],
  role: 'student' | 'teacher' = 'student',
): ChatSnapshot {
  return {
    connection: { kind: 'connected', name: 'Alice', server: '127.0.0.1:12345', dialect: 'Classroom Relay', role },
    conversations,
    items,
    maxTextBytes: 60_000,
  };
}

const pageErrors = new WeakMap<Page, string[]>();

export async function openChatPanel(browser: Browser, server: PanelServer, options: FixtureOptions): Promise<Page> {
  const locale = options.locale ?? 'en';
  const page = await openPanel(browser, server.url('dark', locale));
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.viewport) await page.setViewportSize(options.viewport);
  await fromHost(page, {
    type: 'init',
    strings: locale.startsWith('de') ? germanStrings : englishStrings,
    snapshot: options.snapshot,
    locale,
  } satisfies HostToPanel);
  const select = options.select ?? EVERYONE;
  if (select) await fromHost(page, { type: 'focus', conversation: select } satisfies HostToPanel);
  await page.waitForSelector('.messages > *');
  return page;
}

/** Closes the page, failing if its script threw. */
export async function closeChatPanel(page: Page): Promise<void> {
  assert.deepEqual(pageErrors.get(page) ?? [], [], 'the panel threw');
  await page.close();
}
