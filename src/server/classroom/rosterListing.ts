/**
 * Which students a roster frame lists when not all of them fit one frame: raised hands before
 * everyone else, each address taking its turn (so many hands or connections from one address
 * never push out another's), questions shortened before a hand is left out, and a count of the
 * hands that still did not fit (docs/protocol.md, "The roster").
 */
import type { Roster, RosterEntry } from '../../protocol/classroom';
import { MAX_ROSTER_ENTRIES, MAX_ROSTER_FRAME_BYTES } from '../../protocol/limits';
import { cut } from '../../protocol/text';
import { utf8Length } from '../../protocol/utf8';

/** A student as the roster may list it, with the address (without port) its turn is counted by. */
export interface Listable {
  entry: RosterEntry;
  address: string;
}

/** A question shown this short while the hands do not all fit with their questions whole. */
export const CROWDED_QUESTION_CHARACTERS = 40;

// The frame's own fields ({"type":"roster","entries":[],"total":…,"handsLeftOut":…}) with room to spare.
const FRAME_FIELDS_BYTES = 96;

export interface RosterRoom {
  entries: number;
  bytes: number;
}

const FULL_FRAME: RosterRoom = { entries: MAX_ROSTER_ENTRIES, bytes: MAX_ROSTER_FRAME_BYTES };

/**
 * The roster to send: every student if they fit; else the raised hands first, taken in turns by
 * address and oldest first, with their questions shortened until all are in or the frame is
 * full, then questions whole again where room is left, then the others in turns by address.
 * Listed hands are shown oldest first, then the others by name.
 */
export function listRoster(students: readonly Listable[], room: RosterRoom = FULL_FRAME): Roster {
  const hands = inTurns(
    students.filter((student) => student.entry.hand),
    oldestHand,
  );
  const others = inTurns(
    students.filter((student) => !student.entry.hand),
    byName,
  );
  let bytes = FRAME_FIELDS_BYTES;
  const listed = new Map<Listable, RosterEntry>();
  const fits = (size: number) => listed.size < room.entries && bytes + size <= room.bytes;
  let handsLeftOut = 0;
  for (const hand of hands) {
    const entry = crowded(hand.entry);
    const size = sizeOf(entry);
    if (!fits(size)) {
      handsLeftOut++;
      continue;
    }
    listed.set(hand, entry);
    bytes += size;
  }
  for (const [hand, entry] of listed) {
    if (entry === hand.entry) continue;
    const more = sizeOf(hand.entry) - sizeOf(entry);
    if (bytes + more > room.bytes) continue;
    listed.set(hand, hand.entry);
    bytes += more;
  }
  for (const other of others) {
    const size = sizeOf(other.entry);
    if (!fits(size)) continue;
    listed.set(other, other.entry);
    bytes += size;
  }
  const shown = (group: Listable[], order: (a: Listable, b: Listable) => number) =>
    group
      .filter((student) => listed.has(student))
      .sort(order)
      .map((student) => listed.get(student)!);
  const roster: Roster = { entries: [...shown(hands, oldestHand), ...shown(others, byName)], total: students.length };
  return handsLeftOut > 0 ? { ...roster, handsLeftOut } : roster;
}

/**
 * `students` in turns by address: each address's first (in `order`), then each one's second, and
 * so on; a turn goes in `order` too.
 */
function inTurns(students: readonly Listable[], order: (a: Listable, b: Listable) => number): Listable[] {
  const sorted = students.slice().sort(order);
  const turnOf = new Map<Listable, number>();
  const taken = new Map<string, number>();
  for (const student of sorted) {
    const turn = taken.get(student.address) ?? 0;
    turnOf.set(student, turn);
    taken.set(student.address, turn + 1);
  }
  return sorted.sort((a, b) => turnOf.get(a)! - turnOf.get(b)! || order(a, b));
}

function oldestHand(a: Listable, b: Listable): number {
  return a.entry.hand!.at.localeCompare(b.entry.hand!.at) || byName(a, b);
}

function byName(a: Listable, b: Listable): number {
  return a.entry.name.localeCompare(b.entry.name);
}

/** The entry with its question shortened to CROWDED_QUESTION_CHARACTERS, or itself when it is short. */
function crowded(entry: RosterEntry): RosterEntry {
  const question = entry.hand?.question;
  if (question === undefined) return entry;
  const short = cut(question, CROWDED_QUESTION_CHARACTERS);
  return short === question ? entry : { ...entry, hand: { ...entry.hand!, question: short } };
}

/** The entry's bytes in the frame, with the comma after it. */
function sizeOf(entry: RosterEntry): number {
  return utf8Length(JSON.stringify(entry)) + 1;
}
