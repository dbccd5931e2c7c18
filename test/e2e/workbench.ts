/** A student's VS Code in Chromium, driven the way a person would use it. */
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer } from './codeServer';

export interface PanelMessage {
  id: string;
  from: string;
  text: string;
  delivery: string;
  failure: string;
  snippet: boolean;
}

const QUICK_INPUT = '.quick-input-widget';

/** Our webviews: the chat view (VS Code marks a view's webview by its purpose) and the chat in an editor tab. */
const OURS = 'iframe.webview.ready[src*="extensionId=classroom-relay.classroom-relay"]';
const CHAT_VIEW_FRAME = `${OURS}[src*="purpose=webviewView"]:visible`;
const CHAT_TAB_FRAME = `${OURS}:not([src*="purpose="])`;

export interface Viewport {
  width: number;
  height: number;
}

/** A row of a tree view: its label and description, and what a screen reader hears. */
export interface TreeRow {
  label: string;
  description: string;
  aria: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class Workbench {
  private constructor(
    readonly name: string,
    readonly server: CodeServer,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(
    browser: Browser,
    server: CodeServer,
    viewport: Viewport = { width: 1280, height: 800 },
  ): Promise<Workbench> {
    const context = await browser.newContext({ viewport });
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.waitForSelector('.statusbar', { timeout: 30_000 });
      return new Workbench(server.name, server, context, page);
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
  }

  /** Runs a command from the palette, reopening it until the command is listed (extensions register late). */
  async runCommand(title: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      // Escape only closes an open palette: in an editor it would drop the selection.
      if (await this.page.locator(QUICK_INPUT).isVisible()) await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      const input = this.page.locator(`${QUICK_INPUT} input`);
      const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: title }).first();
      try {
        await input.waitFor({ state: 'visible', timeout: 3000 });
        await input.fill(`>${title}`, { timeout: 3000 });
        await row.waitFor({ state: 'visible', timeout: 1500 });
        await row.click({ timeout: 3000 });
        return;
      } catch {
        // Not listed yet, or the palette was still closing: try again.
      }
    }
    throw new Error(`${this.name}: the command "${title}" never appeared in the palette`);
  }

  /**
   * The command titles the palette lists for `filter`, once one of them contains it (extensions register late; the
   * palette also lists fuzzy matches).
   */
  async paletteTitles(filter: string): Promise<string[]> {
    const deadline = Date.now() + 30_000;
    const input = this.page.locator(`${QUICK_INPUT} input`);
    for (;;) {
      if (await this.page.locator(QUICK_INPUT).isVisible()) await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      await input.fill(`>${filter}`);
      await this.page.waitForTimeout(500);
      const titles = await this.page.locator(`${QUICK_INPUT} .monaco-list-row .label-name`).allInnerTexts();
      await this.page.keyboard.press('Escape');
      const shown = titles.map((title) => title.replace(/\s+/g, ' ').trim());
      if (shown.some((title) => title.includes(filter)) || Date.now() > deadline) return shown;
    }
  }

  /** Answers an input box or quick pick once it shows `prompt`. */
  async answer(prompt: RegExp, text: string, timeoutMs = 15_000): Promise<void> {
    const widget = this.page.locator(QUICK_INPUT);
    const input = widget.locator('input').first();
    const deadline = Date.now() + timeoutMs;
    // The prompt is the widget's text (title, message) or the input's placeholder.
    for (;;) {
      const shown = (await widget.isVisible())
        ? `${await widget.innerText()}\n${(await input.getAttribute('placeholder')) ?? ''}`
        : '';
      if (prompt.test(shown)) break;
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no input asking ${prompt}; shown: ${JSON.stringify(shown)}`);
      await this.page.waitForTimeout(100);
    }
    await input.fill(text);
    if ((await widget.locator('.monaco-list-row').count()) > 0) {
      await widget.locator('.monaco-list-row', { hasText: text }).first().waitFor({ state: 'visible' });
    }
    await this.page.waitForTimeout(100);
    await input.press('Enter');
  }

  /** "Relay: Connect", answered as a student would. */
  async connect(
    server: string,
    name: string,
    prompts = { server: /host:port/, name: /classmates will see|deine Klasse/ },
  ): Promise<void> {
    await this.runCommand(this.commandTitle('connect'));
    // The first command of a fresh window may wait for the extension host to start and the extension to activate.
    await this.answer(prompts.server, server, 30_000);
    await this.answer(prompts.name, name);
    await this.panel().locator('.status.connected').waitFor({ timeout: 20_000 });
  }

  commandTitle(command: 'connect'): string {
    return command === 'connect' ? 'Relay: Connect' : command;
  }

  /** The chat view's page (beside the editor, wherever it is). */
  panel(): FrameLocator {
    return this.page.frameLocator(CHAT_VIEW_FRAME).frameLocator('#active-frame');
  }

  /** The chat view's frame in the workbench: where it is, whether it shows. */
  chatView(): Locator {
    return this.page.locator(CHAT_VIEW_FRAME).first();
  }

  /** The page of the chat in an editor tab ("Relay: Open Chat in Editor"). */
  chatTab(): FrameLocator {
    return this.page.frameLocator(CHAT_TAB_FRAME).frameLocator('#active-frame');
  }

  /** The editor area's text editor that shows: where it is. */
  editor(): Locator {
    return this.page.locator('.editor-instance .monaco-editor').first();
  }

  /** Where `locator` is in the window, or undefined when it does not show. */
  async box(locator: Locator): Promise<Box | undefined> {
    if (!(await locator.isVisible())) return undefined;
    return (await locator.boundingBox()) ?? undefined;
  }

  /** Shows the Explorer in the side bar, which hides the chat view there. */
  async hideChat(): Promise<void> {
    await this.runCommand('View: Show Explorer');
    await this.page
      .locator('.pane-header', { hasText: /workspace/i })
      .first()
      .waitFor();
    await this.chatView().waitFor({ state: 'hidden' });
  }

  /**
   * Starts keeping the chat view's status line as it changes, each text with the time it
   * appeared (the browser's clock, which is this machine's): see statusHistory.
   */
  async watchStatus(): Promise<void> {
    await this.panel()
      .locator('.status')
      .evaluate((status) => {
        const kept: Array<[number, string]> = [[Date.now(), status.textContent ?? '']];
        (window as unknown as { relayStatus: typeof kept }).relayStatus = kept;
        new MutationObserver(() => {
          const text = status.textContent ?? '';
          if (kept.at(-1)?.[1] !== text) kept.push([Date.now(), text]);
        }).observe(status, { childList: true, subtree: true, characterData: true, attributes: true });
      });
  }

  /** The status line's texts since watchStatus, each with when it appeared. */
  async statusHistory(): Promise<Array<{ at: number; text: string }>> {
    const kept = await this.panel()
      .locator('.status')
      .evaluate(() => (window as unknown as { relayStatus?: Array<[number, string]> }).relayStatus ?? []);
    return kept.map(([at, text]) => ({ at, text }));
  }

  /** Reloads the window (Developer: Reload Window) and waits for the workbench. */
  async reload(): Promise<void> {
    await this.runCommand('Developer: Reload Window');
    await this.page.waitForEvent('load', { timeout: 60_000 });
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await this.page.waitForSelector('.statusbar', { timeout: 30_000 });
  }

  async selectConversation(label: string): Promise<void> {
    await this.panel().locator('.conversation', { hasText: label }).first().click();
    await this.panel().locator('.conversation.current', { hasText: label }).waitFor();
  }

  /** Types into the panel's composer and presses Enter. */
  async sendFromPanel(conversation: string, text: string): Promise<void> {
    await this.selectConversation(conversation);
    const input = this.panel().locator('textarea');
    await input.fill(text);
    await input.press('Enter');
  }

  async messages(): Promise<PanelMessage[]> {
    return this.panel()
      .locator('.messages .item')
      .evaluateAll((items) =>
        items.map((item) => ({
          id: item.getAttribute('data-id') ?? '',
          from: item.querySelector('.from')?.textContent ?? '',
          text: (item.querySelector('.text') ?? item.querySelector('code'))?.textContent ?? '',
          delivery: item.querySelector('.delivery')?.className.replace('delivery', '').trim() ?? '',
          failure: item.querySelector('.failure')?.textContent ?? '',
          snippet: item.querySelector('.snippet') !== null,
        })),
      );
  }

  /** Waits until a message in the open conversation satisfies `match`. */
  async waitForMessage(
    match: (message: PanelMessage) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<PanelMessage> {
    const deadline = Date.now() + timeoutMs;
    let seen: PanelMessage[] = [];
    while (Date.now() < deadline) {
      seen = await this.messages().catch(() => []);
      const found = seen.find(match);
      if (found) return found;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`${this.name}: no message ${what}; the panel shows ${JSON.stringify(seen)}`);
  }

  async statusBarText(): Promise<string> {
    return (await this.page.locator('.statusbar-item[id$="relay.status"]').innerText()).trim();
  }

  async waitForStatusBar(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.statusBarText().catch(() => '');
      if (pattern.test(text)) return text;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`${this.name}: the status bar shows "${text}", not ${pattern}`);
  }

  async openFile(file: string): Promise<void> {
    if (await this.page.locator(QUICK_INPUT).isVisible()) await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator(`${QUICK_INPUT} input`);
    await input.waitFor({ state: 'visible' });
    await input.fill(file);
    await this.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: file }).first().waitFor();
    await input.press('Enter');
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
    await this.page.locator(`.tab.active`, { hasText: file }).waitFor();
  }

  /**
   * Selects lines `from` to `to` (1-based) of the active editor, up to the end of line `to`: a click, then the
   * keyboard.
   */
  async selectLines(from: number, to: number): Promise<void> {
    const lines = this.page.locator('.editor-instance .monaco-editor .view-lines .view-line');
    await lines.first().waitFor();
    const boxes = (
      await lines.evaluateAll((elements) =>
        elements.map((element) => {
          const box = element.getBoundingClientRect();
          return { x: box.x, y: box.y, width: box.width, height: box.height };
        }),
      )
    ).sort((a, b) => a.y - b.y);
    const first = boxes[from - 1];
    const last = boxes[to - 1];
    if (!first || !last) throw new Error(`${this.name}: the editor shows ${boxes.length} lines, not ${to}`);
    await this.page.mouse.click(first.x + 2, first.y + first.height / 2);
    await this.page.keyboard.press('Home');
    await this.page.keyboard.press('Home');
    for (let line = from; line < to; line++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
  }

  /**
   * Saves the active editor (Ctrl+S) and reads the file from disk once it holds `expected`, or
   * whatever it holds after 10 s. VS Code in the browser also saves by itself after a second.
   */
  async saveAndRead(file: string, expected: string): Promise<string> {
    await this.page.keyboard.press('Control+S');
    const deadline = Date.now() + 10_000;
    let content = this.server.readFile(file);
    while (content !== expected && Date.now() < deadline) {
      await this.page.waitForTimeout(200);
      content = this.server.readFile(file);
    }
    return content;
  }

  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  }

  async waitForNotification(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await this.notifications();
      const found = seen.find((text) => pattern.test(text));
      if (found) return found;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`${this.name}: no notification ${pattern}; shown: ${JSON.stringify(seen)}`);
  }

  /** The hints pinned at the top of the panel: who sent each, and its text or code. */
  async pinnedHints(): Promise<Array<{ from: string; teacher: boolean; earlier: boolean; text: string }>> {
    return this.panel()
      .locator('.hints .hint')
      .evaluateAll((hints) =>
        hints.map((hint) => ({
          from: hint.querySelector('.from')?.textContent ?? '',
          teacher: hint.querySelector('.role-badge') !== null,
          earlier: hint.querySelector('time.earlier') !== null,
          text: (hint.querySelector('.hint-text') ?? hint.querySelector('code'))?.textContent ?? '',
        })),
      );
  }

  /** Opens the Classroom container of the panel (shown to teachers) with the questions inbox and the class roster. */
  async openRoster(): Promise<void> {
    const pane = this.rosterPane();
    if (!(await pane.isVisible())) await this.runCommand('Relay: Show Questions and Class');
    await pane.waitFor({ timeout: 10_000 });
  }

  private rosterPane(): Locator {
    return this.pane(/^Class/);
  }

  /** The view in the workbench whose header starts as `header` says. */
  private pane(header: RegExp): Locator {
    return this.page
      .locator('.pane')
      .filter({ has: this.page.locator('.pane-header', { hasText: header }) })
      .first();
  }

  /** The rows of the class roster: label and description, and what a screen reader hears. */
  async rosterRows(): Promise<TreeRow[]> {
    return treeRows(this.rosterPane());
  }

  /** The roster's header: its title and what it says beside it (how many students). */
  async rosterHeader(): Promise<string> {
    return (await this.rosterPane().locator('.pane-header').innerText()).replace(/\s+/g, ' ').trim();
  }

  /** The teacher's questions inbox (beside the roster): where it is, whether it shows. */
  questionsPane(): Locator {
    return this.pane(/^Questions/);
  }

  /** The rows of the questions inbox, open questions first, then the folded group of answered ones. */
  async questionRows(): Promise<TreeRow[]> {
    return treeRows(this.questionsPane());
  }

  /** Points at a student's row, which shows its inline actions. */
  async hoverRosterRow(label: string): Promise<void> {
    // Away first, so that no other hover (a tab's title) stays open in the picture.
    await this.page.mouse.move(200, 600);
    await this.page.keyboard.press('Escape');
    await this.page.waitForTimeout(600);
    await this.rosterPane()
      .locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) })
      .first()
      .hover();
  }

  /** Waits until the roster's rows satisfy `match`. */
  async waitForRoster(match: (rows: TreeRow[]) => boolean, what: string, timeoutMs = 20_000): Promise<TreeRow[]> {
    const deadline = Date.now() + timeoutMs;
    let rows: TreeRow[] = [];
    while (Date.now() < deadline) {
      rows = await this.rosterRows().catch(() => []);
      if (match(rows)) return rows;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`${this.name}: the roster never showed ${what}; it shows ${JSON.stringify(rows)}`);
  }

  /**
   * Drags the side bar's edge until it is `width` pixels wide (wider for pictures in which its rows are read whole,
   * narrower to try a layout).
   */
  async resizeSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error(`${this.name}: no side bar to resize`);
    const edge = box.x + box.width;
    // The sash that sits on the side bar's right edge.
    const sashes = await this.page.locator('.monaco-sash.vertical').evaluateAll((elements) =>
      elements.map((element) => {
        const rect = element.getBoundingClientRect();
        return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2, height: rect.height };
      }),
    );
    const sash = sashes.filter((candidate) => Math.abs(candidate.x - edge) < 6 && candidate.height > box.height / 2)[0];
    if (!sash) throw new Error(`${this.name}: no sash on the side bar's edge at x=${Math.round(edge)}`);
    await this.page.mouse.move(sash.x, sash.y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, sash.y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Answers the modal dialog once it shows: presses `button`, and returns what the dialog said. */
  async confirm(button: string, timeoutMs = 15_000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: timeoutMs });
    const said = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'detached', timeout: timeoutMs });
    return said;
  }

  /** Clears the notification toasts, and waits until none is left in the way of a picture. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page
      .locator('.notifications-toasts .notification-toast')
      .first()
      .waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => {});
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
  }
}

async function treeRows(pane: Locator): Promise<TreeRow[]> {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent ?? '',
      description: row.querySelector('.label-description')?.textContent ?? '',
      aria: row.getAttribute('aria-label') ?? '',
    })),
  );
}
