/**
 * The teacher's questions inbox: a tree view in the Classroom view container (the panel, first),
 * open questions as rows, oldest first, answered ones folded in one group; a click opens the
 * student's conversation, the row's check marks it answered. The badge counts open questions.
 * Shown while this VS Code is connected as a teacher (the `relay.teacher` context key).
 */
import * as vscode from 'vscode';
import type { Question } from '../classroom/questionsInbox';
import { inboxNodes, inboxSummary, type InboxNode, type QuestionNode } from '../classroom/questionsTree';
import { RowsView, rowItem } from './treeRows';

export const QUESTIONS_VIEW = 'relay.questions';
/** What a click on a question runs: its conversation opens. */
export const OPEN_QUESTION = 'relay.questions.open';

const t = vscode.l10n.t;

export class QuestionsView extends RowsView<InboxNode> {
  constructor() {
    super(QUESTIONS_VIEW);
  }

  /** The question a command acts on: the row it was run on, or else the selected one. */
  target(node: unknown): QuestionNode | undefined {
    const given = typeof node === 'object' && node !== null ? (node as InboxNode) : undefined;
    if (given?.type === 'question') return given;
    const selected = this.view.selection[0];
    return selected?.type === 'question' ? selected : undefined;
  }

  /** The questions now (undefined: not a teacher, or not connected). */
  update(questions: readonly Question[] | undefined): void {
    if (this.disposed) return;
    const summary = questions ? inboxSummary(questions, t) : undefined;
    this.view.description = summary?.text;
    this.view.badge = summary && summary.open > 0 ? { value: summary.open, tooltip: summary.text } : undefined;
    this.refresh(questions ? inboxNodes(questions, new Date(), t) : []);
  }

  /** Shows the view (and its container), keeping the keyboard where it is. */
  show(): void {
    void vscode.commands.executeCommand(`${QUESTIONS_VIEW}.focus`, { preserveFocus: true });
  }

  getTreeItem(node: InboxNode): vscode.TreeItem {
    if (node.type === 'group') {
      const group = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
      group.id = node.id;
      group.contextValue = 'answeredGroup';
      group.accessibilityInformation = { label: node.accessibilityLabel };
      return group;
    }
    const item = rowItem(node);
    item.command = { command: OPEN_QUESTION, title: t('Open Conversation'), arguments: [node] };
    return item;
  }

  override getChildren(node?: InboxNode): InboxNode[] {
    if (!node) return this.nodes;
    return node.type === 'group' ? node.children : [];
  }

  getParent(node: InboxNode): InboxNode | undefined {
    if (node.type === 'group') return undefined;
    return this.nodes.find(
      (parent) => parent.type === 'group' && parent.children.some((child) => child.id === node.id),
    );
  }
}
