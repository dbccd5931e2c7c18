import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every English message the extension passes to vscode.l10n.t (directly or as `t`), from the sources. */
export function runtimeMessages(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const directory = join(root, 'src', 'extension');
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    const source = readFileSync(file, 'utf8');
    // In single or double quotes: prettier writes a message with an apostrophe in double quotes.
    for (const match of source.matchAll(/\b(?:l10n\.)?t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)) {
      found.set((match[1] ?? match[2]!).replace(/\\(['"\\])/g, '$1'), file);
    }
  }
  return found;
}
