/**
 * What the classroom's tree views share: a view of rows the extension replaces as a whole when
 * the relay tells something new, and a row as VS Code draws it. Row text comes from the network:
 * it goes in as plain strings, never Markdown.
 */
import * as vscode from 'vscode';

/** A row as the classroom's pure code shapes it (rosterTree.ts, questionsTree.ts). */
export interface Row {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  contextValue: string;
  accessibilityLabel: string;
}

export function rowItem(row: Row): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
  item.id = row.id;
  item.description = row.description;
  item.tooltip = row.tooltip;
  item.iconPath = new vscode.ThemeIcon(row.icon);
  item.contextValue = row.contextValue;
  item.accessibilityInformation = { label: row.accessibilityLabel };
  return item;
}

/** A tree view whose top-level rows are replaced at once; its owner disposes of it. */
export abstract class RowsView<Node> implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  protected readonly view: vscode.TreeView<Node>;
  protected nodes: Node[] = [];
  protected disposed = false;

  constructor(viewId: string) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this });
  }

  abstract getTreeItem(node: Node): vscode.TreeItem;

  getChildren(node?: Node): Node[] {
    return node ? [] : this.nodes;
  }

  dispose(): void {
    this.disposed = true;
    this.view.dispose();
    this.changed.dispose();
  }

  /** The rows are new: VS Code asks for them again. */
  protected refresh(nodes: Node[]): void {
    this.nodes = nodes;
    this.changed.fire();
  }
}
