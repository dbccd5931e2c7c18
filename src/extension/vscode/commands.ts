/** The command table: each command of package.json and the part that carries it out. */
import * as vscode from 'vscode';
import type { RosterNode } from '../classroom/rosterTree';
import type { RelayParts } from '../relayParts';
import { OPEN_QUESTION, type QuestionsView } from './questionsView';
import type { RosterView } from './rosterView';

/** `use`: the parts, made on first use. */
export function registerCommands(
  use: () => RelayParts,
  { roster, questions }: { roster: RosterView; questions: QuestionsView },
): vscode.Disposable[] {
  const command = (id: string, run: (parts: RelayParts) => unknown) =>
    vscode.commands.registerCommand(id, () => run(use()));
  /** A command of a roster row: it acts on that student (or the selected one). */
  const onStudent = (id: string, run: (parts: RelayParts, name: string) => unknown) =>
    vscode.commands.registerCommand(id, (node?: RosterNode) => {
      const student = roster.target(node);
      if (student) return run(use(), student.name);
      return undefined;
    });
  /** A command of a question's row: it acts on that question (or the selected one). */
  const onQuestion = (id: string, run: (parts: RelayParts, question: string) => unknown) =>
    vscode.commands.registerCommand(id, (node?: unknown) => {
      const question = questions.target(node);
      if (question) return run(use(), question.id);
      return undefined;
    });
  return [
    command('relay.connect', (parts) => parts.lifecycle.connect()),
    command('relay.disconnect', (parts) => parts.lifecycle.disconnect()),
    command('relay.registerName', (parts) => parts.lifecycle.registerName()),
    command('relay.openChat', (parts) => parts.panel.open()),
    command('relay.openChatInEditor', (parts) => parts.panel.open(undefined, { place: 'editor' })),
    command('relay.markAllRead', (parts) => parts.session.markAllRead()),
    command('relay.messagePeer', (parts) => parts.send.messagePeer()),
    command('relay.sendSelection', (parts) => parts.snippets.sendSelection()),
    command('relay.broadcastHint', (parts) => parts.send.broadcastHint()),
    command('relay.enterTeacherKey', (parts) => parts.keys.enter()),
    command('relay.forgetTeacherKey', (parts) => parts.keys.forget()),
    command('relay.clearHints', (parts) => parts.classroom.clearHints()),
    command('relay.raiseHand', (parts) => parts.classroom.raiseHand()),
    command('relay.lowerHand', (parts) => parts.classroom.lowerHand()),
    command('relay.hostClassroom', (parts) => parts.hosting.host()),
    command('relay.stopHosting', (parts) => parts.hosting.stop()),
    command('relay.createClass', (parts) => parts.classes.create()),
    onStudent('relay.roster.message', (parts, name) => parts.classroom.message(name)),
    onStudent('relay.roster.mute', (parts, name) => parts.classroom.mute(name)),
    onStudent('relay.roster.unmute', (parts, name) => parts.classroom.unmute(name)),
    onStudent('relay.roster.disconnect', (parts, name) => parts.classroom.disconnect(name)),
    onStudent('relay.roster.lowerHand', (parts, name) => parts.classroom.lowerHandOf(name)),
    vscode.commands.registerCommand('relay.showClassroom', () => questions.show()),
    onQuestion(OPEN_QUESTION, (parts, id) => parts.questions.open(id)),
    onQuestion('relay.questions.markAnswered', (parts, id) => parts.questions.markAnswered(id)),
  ];
}
