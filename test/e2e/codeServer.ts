/** One simulated student: a code-server with a throwaway profile and the freshly built .vsix. */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { get } from 'node:http';
import { freePort } from '../helpers/relay/peers';
import { ROOT } from '../helpers/paths';
import type { Prerequisites } from './prereqs';
import { startGroup, type Started } from './processGroup';

export interface StudentOptions {
  /** Display language; German needs the language-pack stand-in below. */
  locale?: 'en' | 'de';
  /** Files to put into the student's workspace folder. */
  files?: Record<string, string>;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** The browser window's size; 1280 × 800 when not given. */
  viewport?: { width: number; height: number };
}

const CLEAN_WORKBENCH = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnPaste': false,
};

/**
 * Installs the .vsix once into a folder that each student's profile then copies: VS Code finds
 * installed extensions relative to the extensions folder, so a copy is an installed extension.
 */
export function installExtension(vsix: string, prerequisites: Prerequisites): string {
  const extensions = mkdtempSync(join(tmpdir(), 'relay-e2e-extensions-'));
  const env = { ...prerequisites.env, XDG_CONFIG_HOME: join(extensions, '.config'), HOME: extensions };
  const install = spawnSync(
    prerequisites.codeServer,
    ['--user-data-dir', join(extensions, '.data'), '--extensions-dir', extensions, '--install-extension', vsix],
    { env, encoding: 'utf8' },
  );
  rmSync(join(extensions, '.data'), { recursive: true, force: true });
  rmSync(join(extensions, '.config'), { recursive: true, force: true });
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
    rmSync(extensions, { recursive: true, force: true });
    throw new Error(`installing ${vsix} into code-server failed: ${install.stdout}${install.stderr}`);
  }
  return extensions;
}

export class CodeServer {
  private constructor(
    readonly name: string,
    readonly port: number,
    readonly root: string,
    readonly workspace: string,
    readonly userData: string,
    private readonly process: Started,
  ) {}

  /** Starts a student's code-server with its own copy of `installedExtensions` (see installExtension). */
  static async start(
    name: string,
    installedExtensions: string,
    prerequisites: Prerequisites,
    options: StudentOptions = {},
  ): Promise<CodeServer> {
    const root = mkdtempSync(join(tmpdir(), `relay-e2e-${name.toLowerCase()}-`));
    const userData = join(root, 'data');
    const extensions = join(root, 'extensions');
    const workspace = join(root, 'workspace');
    for (const dir of [join(userData, 'User'), extensions, workspace, join(root, 'config'), join(root, 'tmp')])
      mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify({ ...CLEAN_WORKBENCH, ...options.settings }, null, 2),
    );
    for (const [file, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(workspace, file)), { recursive: true });
      writeFileSync(join(workspace, file), content);
    }
    if (options.locale === 'de') {
      // No German language pack can be downloaded here; this stand-in only declares German as
      // available, so VS Code runs in German and extensions use their German strings.
      writeFileSync(
        join(userData, 'languagepacks.json'),
        JSON.stringify({
          de: {
            hash: 'relaye2ede',
            extensions: [{ extensionIdentifier: { id: 'classroom-relay-tests.language-pack-de' }, version: '1.0.0' }],
            translations: { vscode: join(ROOT, 'test', 'e2e', 'fixtures', 'language-pack-de', 'main.i18n.json') },
            label: 'Deutsch',
          },
        }),
      );
    }
    cpSync(installedExtensions, extensions, { recursive: true });
    // Its sockets and temporary files go into the profile, which stop() throws away.
    const env = { ...prerequisites.env, XDG_CONFIG_HOME: join(root, 'config'), HOME: root, TMPDIR: join(root, 'tmp') };
    const port = await freePort();
    const args = [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      ...(options.locale ? ['--locale', options.locale] : []),
      workspace,
    ];
    const process = startGroup(prerequisites.codeServer, args, { env, logFile: join(root, 'code-server.log') });
    const server = new CodeServer(name, port, root, workspace, userData, process);
    try {
      await server.waitHealthy();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`;
  }

  readFile(file: string): string {
    return readFileSync(join(this.workspace, file), 'utf8');
  }

  /** The extension host's log of the newest session, for a failed test's report. */
  extensionHostLog(): string {
    const logs = join(this.userData, 'logs');
    if (!existsSync(logs)) return '(no logs folder)';
    const sessions = readdirSync(logs)
      .map((entry) => join(logs, entry))
      .filter((path) => statSync(path).isDirectory())
      .sort();
    const newest = sessions.at(-1);
    if (!newest) return '(no log session)';
    const found: string[] = [];
    for (const entry of readdirSync(newest, { recursive: true }) as string[]) {
      if (
        /exthost\d*[/\\].*exthost\.log$/.test(entry) ||
        /remoteexthost\.log$/.test(entry) ||
        /Relay\.log$/.test(entry)
      ) {
        found.push(`==> ${entry}\n${readFileSync(join(newest, entry), 'utf8')}`);
      }
    }
    return found.join('\n\n') || '(no extension host log yet)';
  }

  serverLog(): string {
    return this.process.output();
  }

  /** Stops the server and its helpers and throws the profile away (a failed test has already kept what it needs). */
  async stop(): Promise<void> {
    await this.process.stop();
    rmSync(this.root, { recursive: true, force: true });
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.process.child.exitCode !== null)
        throw new Error(`${this.name}'s code-server exited: ${this.process.output()}`);
      if (await healthy(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.name}'s code-server did not become ready within 60 s: ${this.process.output()}`);
  }
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}
