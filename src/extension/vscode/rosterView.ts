/**
 * The class roster for teachers: a tree view in the Classroom view container (the panel, beside
 * the questions inbox), one row per student (raised hands first), updated as the relay sends
 * rosters. The view shows only while this VS Code is connected as a teacher (the `relay.teacher`
 * context key); its rows carry the actions of the view's menus (package.json).
 */
import * as vscode from 'vscode';
import type { Roster } from '../../protocol/classroom';
import { rosterNodes, rosterSummary, type RosterNode } from '../classroom/rosterTree';
import { RowsView, rowItem } from './treeRows';

export const ROSTER_VIEW = 'relay.roster';

const t = vscode.l10n.t;

export class RosterView extends RowsView<RosterNode> {
  constructor() {
    super(ROSTER_VIEW);
  }

  /** The student a command acts on: the row it was run on, or else the selected one. */
  target(node: unknown): RosterNode | undefined {
    if (typeof node === 'object' && node !== null && typeof (node as RosterNode).name === 'string')
      return node as RosterNode;
    return this.view.selection[0];
  }

  /**
   * A new roster (undefined: not a teacher, or not connected); `addresses`: where the class
   * connects to a hosted relay.
   */
  update(roster: Roster | undefined, addresses: readonly string[] | undefined): void {
    if (this.disposed) return;
    const summary = roster ? rosterSummary(roster, t) : undefined;
    // The hands are counted in the questions inbox's badge beside it: a badge here would count them twice on the
    // container.
    this.view.description =
      summary && summary.hands > 0 ? `${summary.description} · ${summary.handsText}` : summary?.description;
    const lines: string[] = [];
    if (addresses && addresses.length > 0) lines.push(t('Students connect to {0}', addresses.join(', ')));
    if (summary?.partial) lines.push(summary.partial);
    this.view.message = lines.length > 0 ? lines.join('\n') : undefined;
    this.refresh(roster ? rosterNodes(roster, new Date(), t) : []);
  }

  getTreeItem(node: RosterNode): vscode.TreeItem {
    return rowItem(node);
  }
}
