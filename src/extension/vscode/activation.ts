/**
 * The activation root: the status bar item and the class roster from the start, the commands
 * and the chat's providers, and the parts (./partsInVsCode.ts) on first use: a command, or the chat
 * view shown. It only wires; each piece is in a file of its own.
 */
import * as vscode from 'vscode';
import { setDisplayLocale } from '../../protocol/lineTime';
import { wasConnected } from '../connection/windowSession';
import type { RelayParts } from '../relayParts';
import { registerChatProviders } from './chatProviders';
import { registerCommands } from './commands';
import type { PartsInVsCode } from './partsInVsCode';
import { QuestionsView } from './questionsView';
import { RosterView } from './rosterView';
import { RelayStatusBar } from './statusBar';

let active: PartsInVsCode | undefined;

export function activateRelay(context: vscode.ExtensionContext): void {
  // Times in the chat and the views follow VS Code's display language.
  setDisplayLocale(vscode.env.language);
  const roster = new RosterView();
  const questions = new QuestionsView();
  // The way in for a student who has not used the extension yet: it opens the chat.
  const statusBar = new RelayStatusBar();
  context.subscriptions.push(roster, questions, statusBar);
  const use = (): RelayParts => {
    if (!active) {
      active = new (loadParts())(context, { roster, questions }, statusBar);
      context.subscriptions.push(active);
    }
    return active.parts;
  };
  context.subscriptions.push(
    ...registerCommands(use, { roster, questions }),
    ...registerChatProviders(context.extensionUri, use),
  );
  // A window connected before its reload (or before VS Code closed) connects again, asking nothing:
  // right after activation rather than inside it, so loading the parts and the history does not hold up
  // VS Code's start.
  if (wasConnected(context.workspaceState) || vscode.workspace.getConfiguration('relay').get('autoConnect') === true) {
    const reconnect = setImmediate(() => void use().lifecycle.autoConnect());
    context.subscriptions.push({ dispose: () => clearImmediate(reconnect) });
  }
}

/** When VS Code closes: a hosted classroom stops, and its clients are told why. */
export async function deactivateRelay(): Promise<void> {
  await active?.stopHosting();
}

/**
 * The parts' code, loaded on first use: activating the extension loads only what the status bar,
 * the views and the commands need, and a window that never uses the chat never loads the rest
 * (the build makes it dist/parts.js, see esbuild.mjs).
 */
function loadParts(): typeof PartsInVsCode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require waits until first use
  return (require('./partsInVsCode') as typeof import('./partsInVsCode')).PartsInVsCode;
}
