/** A lesson's chat for the benchmarks: messages, snippets and hints in 20 conversations, as a class writes them. */
import { EVERYONE, type ChatItem } from '../src/protocol/panel';

/** A lesson's worth of chat: a message every 20 seconds from 08:00. */
export const lessonTime = (index: number): string =>
  new Date(Date.UTC(2026, 10, 25, 7, 0, 0) + index * 20_000).toISOString();
export const LESSON_PEERS = Array.from({ length: 20 }, (_, index) => `Student ${String(index + 1).padStart(2, '0')}`);

/** `count` items seen by `me`: runs of a few messages per conversation, a snippet every tenth, a hint every 25th. */
export function lessonItems(me: string, count: number): ChatItem[] {
  const items: ChatItem[] = [];
  for (let index = 0; index < count; index++) {
    const hint = index % 25 === 0;
    // Runs of a few messages per conversation, as a chat goes; snippets fall in every conversation.
    const peer = LESSON_PEERS[Math.floor(index / 7) % LESSON_PEERS.length]!;
    const out = index % 3 === 0;
    items.push({
      id: `i${index}`,
      conversation: hint ? EVERYONE : peer.toLowerCase(),
      direction: hint || !out ? 'in' : 'out',
      from: hint ? 'Frau Keller' : out ? me : peer,
      at: lessonTime(index),
      ...(hint ? { teacher: true } : out ? { delivery: 'delivered' as const } : {}),
      content:
        index % 10 === 5
          ? {
              kind: 'snippet',
              snippet: {
                code: `def empfangen_${index}(sock):\n    # eine ganze Nachricht lesen\n    daten = sock.recv(1024)\n    return daten.decode("utf-8").strip()`,
                language: 'python',
                file: 'client.py',
                lines: { start: 12, end: 15 },
              },
            }
          : {
              kind: 'text',
              text: `Nachricht ${index}: Hat jemand eine Idee zu Aufgabe ${index % 7}? Der Server antwortet mit „Empfänger nicht gefunden“.`,
            },
    });
  }
  return items;
}
