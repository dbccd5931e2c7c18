/** The questions the commands ask, in VS Code's quick picks and input boxes. Each returns undefined when cancelled. */
import * as vscode from 'vscode';
import { formatServerAddress, parseServerAddress, type ServerAddress } from '../../protocol/address';
import { checkName } from '../../protocol/names';
import { utf8Length } from '../../protocol/utf8';
import { withoutIcons } from '../notificationText';
import type { Choice, Prompts } from '../ports';
import { checkTeacherKeyInput, describeKeyProblem } from '../classroom/teacherKeys';
import { describeNameProblem } from '../connection/connectionWording';

const t = vscode.l10n.t;

export async function askServer(
  recent: readonly string[],
  current?: ServerAddress,
  title = t('Relay: Connect'),
): Promise<ServerAddress | undefined> {
  let typed: string | undefined;
  if (recent.length > 0) {
    const enterNew = t('$(add) Enter another address…');
    const pick = await vscode.window.showQuickPick([...recent, enterNew], {
      title,
      placeHolder: t('Choose the relay server (host:port, or host:port/CODE for a class on it)'),
      ignoreFocusOut: true,
    });
    if (pick === undefined) return undefined;
    if (pick !== enterNew) typed = pick;
  }
  typed ??= await vscode.window.showInputBox({
    title,
    prompt: t(
      'Address of the relay server, as host:port (the course uses port 12345), or tls://host:port for an encrypted connection; for a class on it, its code after a slash: host:port/CODE. A relay of several nodes: their addresses separated by commas.',
    ),
    placeHolder: '192.168.0.10:12345',
    value: current ? formatServerAddress(current) : '',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const check = parseServerAddress(value);
      return check.ok ? undefined : check.detail;
    },
  });
  if (typed === undefined) return undefined;
  const check = parseServerAddress(typed);
  return check.ok ? check.address : undefined;
}

export async function askName(initial: string | undefined, title: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title,
    prompt: t('Your name in the chat, as your classmates will see it.'),
    value: initial ?? '',
    ignoreFocusOut: true,
    validateInput: (input) => {
      const check = checkName(input.trim());
      return check.ok ? undefined : describeNameProblem(check.problem, t);
    },
  });
  if (value === undefined) return undefined;
  const check = checkName(value.trim());
  return check.ok ? check.name : undefined;
}

interface PeerItem extends vscode.QuickPickItem {
  name: string;
}

/**
 * Picks an online or known peer, or takes a typed name. Names are compared as written: a course
 * server tells Bob and bob apart, and our relay folds the case itself.
 */
export async function askPeer(
  online: readonly string[],
  known: readonly string[],
  title: string,
): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<PeerItem>();
  pick.title = title;
  pick.placeholder = t('Choose a classmate or type a name');
  pick.ignoreFocusOut = true;
  const onlineNames = new Set(online);
  const item = (name: string, description: string, iconPath?: vscode.ThemeIcon): PeerItem => ({
    name,
    label: withoutIcons(name),
    description,
    iconPath,
  });
  const base: PeerItem[] = [
    ...online.map((name) => item(name, t('online'), new vscode.ThemeIcon('circle-filled'))),
    ...known.filter((name) => !onlineNames.has(name)).map((name) => item(name, t('from your conversations'))),
  ];
  pick.items = base;
  const disposables: vscode.Disposable[] = [];
  try {
    return await new Promise<string | undefined>((resolve) => {
      disposables.push(
        pick.onDidChangeValue((value) => {
          const typed = value.trim();
          const exists = base.some((listed) => listed.name === typed);
          pick.items = typed && !exists ? [item(typed, t('send to this name')), ...base] : base;
        }),
        pick.onDidAccept(() => resolve(pick.selectedItems[0]?.name ?? (pick.value.trim() || undefined))),
        pick.onDidHide(() => resolve(undefined)),
      );
      pick.show();
    });
  } finally {
    for (const disposable of disposables) disposable.dispose();
    pick.dispose();
  }
}

export async function askText(title: string, prompt: string, maxBytes: number): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const bytes = utf8Length(value);
      if (value.trim() === '') return t('Write something to send.');
      return bytes > maxBytes
        ? t('This message has {0} bytes; the relay accepts at most {1}.', bytes, maxBytes)
        : undefined;
    },
  });
  return text === undefined || text.trim() === '' ? undefined : text;
}

export async function askPickMany(
  choices: readonly string[],
  title: string,
  placeHolder: string,
): Promise<string[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    choices.map((choice) => ({ label: withoutIcons(choice), choice, picked: true })),
    { canPickMany: true, title, placeHolder },
  );
  return picked?.map((item) => item.choice);
}

export async function askLine(title: string, prompt: string): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, prompt });
}

/** A teacher key, typed hidden: whoever looks at the screen (a projector) does not read it. */
export async function askSecret(title: string, prompt: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title,
    prompt,
    password: true,
    ignoreFocusOut: true,
    validateInput: (input) => {
      const check = checkTeacherKeyInput(input);
      return check.ok ? undefined : describeKeyProblem(check.problem, t);
    },
  });
  if (value === undefined) return undefined;
  const check = checkTeacherKeyInput(value);
  return check.ok ? check.key : undefined;
}

export async function askOptionalText(title: string, prompt: string, maxBytes: number): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const bytes = utf8Length(value);
      return bytes > maxBytes ? t('This text has {0} bytes; at most {1} are allowed.', bytes, maxBytes) : undefined;
    },
  });
}

export async function askChoice(
  choices: readonly Choice[],
  title: string,
  placeHolder: string,
): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    choices.map((choice) => ({ label: choice.label, detail: choice.detail, id: choice.id })),
    { title, placeHolder },
  );
  return picked?.id;
}

export const vscodePrompts: Prompts = {
  server: askServer,
  name: askName,
  peer: askPeer,
  text: askText,
  pickMany: askPickMany,
  line: askLine,
  secret: askSecret,
  optionalText: askOptionalText,
  choose: askChoice,
};
