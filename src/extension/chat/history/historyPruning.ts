/**
 * Keeps the history folder small: histories not used for a while go, then the least recently
 * used ones while all together are too large. The history in use stays, whatever its size.
 */
import type { Clock, HistoryFiles, Log } from '../../ports';
import type { Translate } from '../../translate';

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

export type HistoryFileInfo = ReturnType<HistoryFiles['list']>[number];

export interface PruningServices {
  files: HistoryFiles;
  clock: Pick<Clock, 'now'>;
  log: Log;
  t: Translate;
}

/** Removes from `listed` what is unused or too much; never `keep`, the history in use. */
export function pruneHistories(
  services: PruningServices,
  bounds: { totalBytes: number; unusedDays: number },
  listed: HistoryFileInfo[],
  keep: string,
): void {
  const { files, clock, log, t } = services;
  const { totalBytes, unusedDays } = bounds;
  const cutoff = clock.now().getTime() - unusedDays * DAY_MS;
  const unused = listed.filter((file) => file.name !== keep && file.modified.getTime() < cutoff);
  const kept = listed
    .filter((file) => !unused.includes(file))
    .sort((a, b) => a.modified.getTime() - b.modified.getTime());
  let total = kept.reduce((sum, file) => sum + file.bytes, 0);
  const leastUsed: HistoryFileInfo[] = [];
  for (const file of kept) {
    if (total <= totalBytes) break;
    if (file.name === keep) continue;
    leastUsed.push(file);
    total -= file.bytes;
  }
  const remove = (list: HistoryFileInfo[]) =>
    list.filter((file) => {
      try {
        files.remove(file.name);
        return true;
      } catch {
        return false;
      }
    }).length;
  const old = remove(unused);
  if (old > 0) log.info(t('{0} chat histories not used for {1} days were removed.', old, unusedDays));
  const large = remove(leastUsed);
  if (large > 0)
    log.info(
      t(
        '{0} chat histories used least recently were removed: all together they were larger than {1} MB.',
        large,
        Math.round(totalBytes / MiB),
      ),
    );
}
