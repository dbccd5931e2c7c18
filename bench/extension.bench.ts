/**
 * What the extension costs a VS Code window: the bundles it loads (at activation, and each part it loads on first
 * use), the .vsix, its activation time in a real VS Code (code-server with the packaged .vsix, as the end-to-end
 * tests run it) and the extension host's memory, connected with a 5,000-message history against the same without
 * one. Baseline: the extension as it was at BASELINE_COMMIT, built and packaged from git in this run, its runs taken
 * in turn with the current one's.
 *
 * Activation time is VS Code's own figure, as "Developer: Show Running Extensions" shows it: the time to load the
 * extension's main module plus the time its activate() takes (ActivationTimes.codeLoadingTime + activateCallTime,
 * measured by the extension host itself, in whole milliseconds). The bench opens that editor in each fresh window
 * and reads the figure of the extension's row, once the extension's status bar item shows that it activated.
 * Memory is the extension host process's, read from /proc after its garbage is collected (./extensionHost.ts): its
 * resident set (VmRSS) and its JavaScript heap, once the extension activated, and once it connected and showed the
 * chat, with and without the history.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { historyFileName, historyKey } from '../src/extension/chat/history/historyFileNames';
import { serialize } from '../src/extension/chat/history/historyLines';
import type { ChatItem } from '../src/protocol/panel';
import { CodeServer, installExtension } from '../test/e2e/codeServer';
import { lessonItems, LESSON_PEERS } from './lessonHistory';
import { ensurePrerequisites, type Prerequisites } from '../test/e2e/prereqs';
import { Workbench } from '../test/e2e/workbench';
import { startRelay } from '../test/helpers/relay/peers';
import { ROOT } from '../test/helpers/paths';
import { extensionHostPid, settledMemory, type HostMemory } from './extensionHost';

/** The last commit whose extension loaded everything at activation, in one bundle. */
const BASELINE_COMMIT = '6247c3a';
const RUNS = { activation: 5, memory: 4 };
const HISTORY_MESSAGES = 5000;
/** A window tall enough that the running extensions' list shows every row. */
const TALL = { width: 1280, height: 2400 };
const EXTENSION_ID = 'classroom-relay.classroom-relay';
const load = createRequire(__filename);
const { chromium } = load('playwright-core') as typeof import('playwright-core');

/** The files of dist/ a window may load, with when it loads them. */
const FILES: Array<{ file: string; when: string }> = [
  { file: 'extension.js', when: 'at activation' },
  { file: 'parts.js', when: 'first command, or the chat shown' },
  { file: 'confusables.json', when: 'first name compared by look' },
  { file: 'hostedRelay.js', when: 'Host Classroom' },
  { file: 'sql-wasm.wasm', when: 'a hosted relay keeping its lesson' },
  { file: 'webview.js', when: 'the chat shown (in the webview)' },
];
/** What a window that connects to our relay loads in the extension host. */
const CONNECTING = ['extension.js', 'parts.js', 'confusables.json'];

interface Variant {
  name: string;
  /** The built extension's folder (its dist/ and the .vsix in it). */
  dir: string;
  /** The .vsix installed once, copied into each window's profile. */
  installed: string;
}

interface Measured {
  activationMs: number[];
  /** In windows that connect at startup, which load the parts at activation. */
  connectingMs: number[];
  /** Activated only; connected with the chat shown; the same with the history. */
  idle: HostMemory[];
  connected: HostMemory[];
  history: HostMemory[];
}

/** Builds and packages the extension in `dir` as `npm run package` does. */
function packageAt(dir: string): string {
  const vsix = join(dir, 'dist', 'classroom-relay.vsix');
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: dir, stdio: 'inherit' });
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const flags = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];
  const packaged = spawnSync(process.execPath, [vsce, 'package', ...flags, '--out', vsix], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (packaged.status !== 0) throw new Error(`packaging in ${dir} failed: ${packaged.stdout}${packaged.stderr}`);
  return vsix;
}

/** The repository at BASELINE_COMMIT in a temporary folder, with this checkout's packages. */
function baselineTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'extension-baseline-'));
  const archive = execFileSync('git', ['archive', BASELINE_COMMIT], { cwd: ROOT, maxBuffer: 256 << 20 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const fileBytes = (dir: string, file: string) =>
  existsSync(join(dir, 'dist', file)) ? statSync(join(dir, 'dist', file)).size : undefined;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The extension's activation time in `workbench`, as "Developer: Show Running Extensions" shows it. */
async function activationMs(workbench: Workbench): Promise<number> {
  await workbench.runCommand('Developer: Show Running Extensions');
  const row = workbench.page.locator('.monaco-list-row[aria-label="classroom-relay"] .activation-time');
  const shown = await row.innerText({ timeout: 30_000 });
  const ms = /(\d+)\s*ms/.exec(shown)?.[1];
  if (ms === undefined) throw new Error(`no activation time in "${shown}"`);
  return Number(ms);
}

/** A fresh window that only activates the extension: its activation time and the extension host's memory. */
async function activationRun(browser: Browser, variant: Variant, prerequisites: Prerequisites) {
  const server = await CodeServer.start('Activation', variant.installed, prerequisites);
  try {
    const workbench = await Workbench.open(browser, server, TALL);
    await workbench.waitForStatusBar(/Relay/, 60_000);
    const ms = await activationMs(workbench);
    const memory = await settledMemory(extensionHostPid(server.root));
    await workbench.close();
    return { ms, memory };
  } finally {
    await server.stop();
  }
}

/** Five thousand messages in 20 conversations, a hint every 25th, as bench/panel.bench.ts shows them. */
function history(me: string): { items: ChatItem[]; labels: Record<string, string> } {
  return {
    items: lessonItems(me, HISTORY_MESSAGES),
    labels: Object.fromEntries(LESSON_PEERS.map((peer) => [peer.toLowerCase(), peer])),
  };
}

/**
 * A window that connects to a relay at startup (as after a reload) and shows the chat, with or without a history of
 * HISTORY_MESSAGES kept for that relay and name: the extension host's memory once settled.
 */
async function memoryRun(browser: Browser, variant: Variant, prerequisites: Prerequisites, withHistory: boolean) {
  const relay = await startRelay();
  const name = 'Alice';
  const server = await CodeServer.start(name, variant.installed, prerequisites, {
    settings: {
      'relay.server': `127.0.0.1:${relay.port}`,
      'relay.name': name,
      'relay.autoConnect': true,
      'relay.historySize': HISTORY_MESSAGES,
    },
  });
  try {
    if (withHistory) {
      const key = historyKey({ transport: 'tcp', host: '127.0.0.1', port: relay.port }, name);
      const folder = join(server.userData, 'User', 'globalStorage', EXTENSION_ID, 'history');
      mkdirSync(folder, { recursive: true });
      const { items, labels } = history(name);
      writeFileSync(
        join(folder, historyFileName(key)),
        serialize(key, { version: 1, items, unread: {}, labels, dialect: 'relay' }),
      );
    }
    const workbench = await Workbench.open(browser, server, TALL);
    await workbench.waitForStatusBar(new RegExp(name), 60_000);
    await workbench.runCommand('Relay: Open Chat');
    await workbench.panel().locator('.status.connected').waitFor({ timeout: 30_000 });
    const conversations = await workbench.panel().locator('.conversation').count();
    // Everyone's hints and the 20 peers of the history, or everyone's alone.
    if (conversations !== (withHistory ? 21 : 1))
      throw new Error(`${variant.name}: the chat shows ${conversations} conversations`);
    const ms = await activationMs(workbench);
    const memory = await settledMemory(extensionHostPid(server.root));
    await workbench.close();
    return { ms, memory };
  } finally {
    await server.stop();
    await relay.close();
  }
}

const thousands = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kilobytes = (bytes: number | undefined) => (bytes === undefined ? '—' : `${thousands(bytes / 1000, 1)} KB`);
const ratio = (before: number | undefined, now: number | undefined) =>
  before === undefined || now === undefined || before === 0 ? '' : `×${thousands(now / before, 2)}`;
const megabytes = (bytes: number) => `${thousands(bytes / 1e6, 1)} MB`;
const described = ({ rssKb, heapBytes }: HostMemory) =>
  `resident ${megabytes(rssKb * 1024)}, heap ${megabytes(heapBytes)}`;

/** An aligned text table: the first column to the left, the others to the right. */
function formatTable(title: string, columns: string[], rows: string[][]): string {
  const widths = columns.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, column) => (column === 0 ? value.padEnd(widths[column]!) : value.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [title, line(columns), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  try {
    execFileSync('git', ['cat-file', '-e', `${BASELINE_COMMIT}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    console.error(
      `extension benchmark: the baseline is the extension at commit ${BASELINE_COMMIT}, which this checkout lacks (a shallow clone, or no git): run the benchmark in a full clone.`,
    );
    process.exit(2);
  }
  const prerequisites = ensurePrerequisites((line) => console.log(`extension benchmark: ${line}`));
  const baselineDir = baselineTree();
  const cleanup: string[] = [baselineDir];
  const browser = await chromium.launch({
    executablePath: prerequisites.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  try {
    const variants: Variant[] = [];
    for (const [name, dir] of [
      [`extension at ${BASELINE_COMMIT}`, baselineDir],
      ['extension now', ROOT],
    ] as const) {
      const installed = installExtension(packageAt(dir), prerequisites);
      cleanup.push(installed);
      variants.push({ name, dir, installed });
    }
    const measured = new Map<Variant, Measured>(
      variants.map((variant) => [
        variant,
        { activationMs: [], connectingMs: [], idle: [], connected: [], history: [] },
      ]),
    );
    // Taken in turn, so that what else runs on the machine falls on both alike.
    for (let run = 0; run < RUNS.activation; run++)
      for (const variant of variants) {
        const { ms, memory } = await activationRun(browser, variant, prerequisites);
        measured.get(variant)!.activationMs.push(ms);
        measured.get(variant)!.idle.push(memory);
        console.log(`${variant.name}: activation ${ms} ms, extension host ${described(memory)}`);
      }
    for (let run = 0; run < RUNS.memory; run++)
      for (const variant of variants)
        for (const withHistory of [false, true]) {
          const { ms, memory } = await memoryRun(browser, variant, prerequisites, withHistory);
          measured.get(variant)!.connectingMs.push(ms);
          measured.get(variant)![withHistory ? 'history' : 'connected'].push(memory);
          const what = `connecting at startup ${withHistory ? 'with' : 'without'} history`;
          console.log(`${variant.name}: ${what}, activation ${ms} ms, extension host ${described(memory)}`);
        }
    report(variants, measured);
  } finally {
    await browser.close();
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
}

function report(variants: Variant[], measured: Map<Variant, Measured>): void {
  const [before, now] = variants as [Variant, Variant];
  const [was, is] = [measured.get(before)!, measured.get(now)!];
  const size = (variant: Variant, files: string[]) =>
    files.reduce((sum, file) => sum + (fileBytes(variant.dir, file) ?? 0), 0);
  const rows: string[][] = [];
  for (const { file, when } of FILES) {
    const [a, b] = [fileBytes(before.dir, file), fileBytes(now.dir, file)];
    rows.push([
      `dist/${file}, ${when}`,
      kilobytes(a),
      kilobytes(b),
      ratio(a, b),
      file === 'extension.js' ? '< 150 KB' : '',
    ]);
  }
  const connecting = [size(before, CONNECTING), size(now, CONNECTING)] as const;
  rows.push(['all a window connecting to our relay loads', ...connecting.map(kilobytes), ratio(...connecting), '']);
  const vsix = ['classroom-relay.vsix'];
  rows.push([
    'the .vsix',
    kilobytes(size(before, vsix)),
    kilobytes(size(now, vsix)),
    ratio(size(before, vsix), size(now, vsix)),
    '',
  ]);
  const activations: Array<[string, 'activationMs' | 'connectingMs', number]> = [
    ['activation, a window that only shows the status bar', 'activationMs', RUNS.activation],
    ['activation, a window connecting at startup', 'connectingMs', RUNS.memory * 2],
  ];
  for (const [label, key, runs] of activations) {
    const ms = [median(was[key]), median(is[key])] as const;
    rows.push([`${label} (median of ${runs})`, `${ms[0]} ms`, `${ms[1]} ms`, ratio(...ms), '< 50 ms']);
  }
  const states: Array<[string, 'idle' | 'connected' | 'history']> = [
    ['activated only', 'idle'],
    ['connected, chat shown', 'connected'],
    [`the same with a ${thousands(HISTORY_MESSAGES)}-message history`, 'history'],
  ];
  const figures = (state: 'idle' | 'connected' | 'history', variant: Measured) => ({
    resident: median(variant[state].map((memory) => memory.rssKb * 1024)),
    heap: median(variant[state].map((memory) => memory.heapBytes)),
  });
  for (const kind of ['resident', 'heap'] as const) {
    const what = kind === 'resident' ? 'extension host resident memory' : 'extension host JS heap';
    for (const [label, state] of states) {
      const pair = [figures(state, was)[kind], figures(state, is)[kind]] as const;
      rows.push([`${what}, ${label}`, ...pair.map(megabytes), ratio(...pair), '']);
    }
    const cost = [
      figures('history', was)[kind] - figures('connected', was)[kind],
      figures('history', is)[kind] - figures('connected', is)[kind],
    ] as const;
    // A ratio of two small differences says little; the figures themselves do.
    rows.push([`${what}: the history's own`, ...cost.map(megabytes), '', '']);
  }
  const columns = ['measure', `before (${BASELINE_COMMIT})`, 'now', 'now / before', 'target'];
  const title = 'The extension in a VS Code window (code-server, the packaged .vsix)';
  const notes = [
    'KB = 1,000 bytes. Sizes of the production build (minified), as `npm run package` packs it.',
    `Activation: VS Code's own figure (loading the main module plus activate()), in fresh windows taken in turn with the baseline's: ${RUNS.activation} that only show the status bar, and the ${RUNS.memory * 2} of the memory figures, which connect at startup (as after a reload) and so load the parts at activation.`,
    `Memory: the extension host process after two garbage collections, its resident set (VmRSS) and its JavaScript heap in use; median of ${RUNS.memory} windows (activated only: of ${RUNS.activation}). The process holds VS Code's built-in extensions too, whose threads and pages make its resident set differ by tens of MB from one window to the next even so; the heap differs by a few MB at most, and is the figure to compare.`,
  ];
  console.log(`\n${formatTable(title, columns, rows)}\n\n${notes.join('\n')}\n`);
  const results = join(ROOT, 'out', 'bench', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'extension.json'), `${JSON.stringify({ title, columns, rows, notes }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
