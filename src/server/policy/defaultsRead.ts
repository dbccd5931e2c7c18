/**
 * The defaults table (defaults.ts) as lists, and its figures as people and `serve`'s flags take
 * them: "512 connections", "64 KiB", a time in a flag's seconds, minutes or days, a size in its MiB.
 */
import { RELAY_DEFAULTS, type DefaultName, type RelayDefault, type ServeFlag } from './defaults';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const KIB = 1024;
const MIB = 1024 * KIB;

/** The defaults as a list, in the table's order. */
export function relayDefaults(): Array<[DefaultName, RelayDefault]> {
  return Object.entries(RELAY_DEFAULTS) as Array<[DefaultName, RelayDefault]>;
}

export type FlaggedDefault = RelayDefault & { readonly flag: ServeFlag };

/** The defaults a `serve` flag changes. */
export function flaggedDefaults(): Array<[DefaultName, FlaggedDefault]> {
  return relayDefaults().filter((entry): entry is [DefaultName, FlaggedDefault] => entry[1].flag !== undefined);
}

/** A default as its `serve` flag takes it: a time in the flag's seconds or minutes. */
export function inFlagUnits(entry: FlaggedDefault): number {
  const per = { count: 1, seconds: SECOND, minutes: MINUTE, days: DAY, mebibytes: MIB }[entry.flag.takes];
  return entry.value / per;
}

/** A flag's value as the relay keeps it: seconds and minutes in ms. */
export function fromFlagUnits(flag: ServeFlag, value: number): number {
  return value * { count: 1, seconds: SECOND, minutes: MINUTE, days: DAY, mebibytes: MIB }[flag.takes];
}

/**
 * A default for people to read: "512 connections", "120 minutes", "64 KiB", "10,000 ids", "1/4";
 * a time its flag takes in seconds, in seconds.
 */
export function shownDefault(entry: RelayDefault): string {
  const { value, unit } = entry;
  const count = value.toLocaleString('en-US');
  switch (unit) {
    case 'ms':
      if (entry.flag?.takes === 'seconds') return `${value / SECOND} s`;
      if (value >= DAY && value % DAY === 0) return `${value / DAY} day${value === DAY ? '' : 's'}`;
      if (value >= MINUTE && value % MINUTE === 0) return `${value / MINUTE} minute${value === MINUTE ? '' : 's'}`;
      if (value >= SECOND && value % SECOND === 0) return `${value / SECOND} s`;
      return `${value} ms`;
    case 'bytes':
      if (value >= MIB && value % MIB === 0) return `${value / MIB} MiB`;
      if (value >= KIB && value % KIB === 0) return `${value / KIB} KiB`;
      return `${count} bytes`;
    case 'share':
      return `1/${1 / value}`;
    default:
      return `${count} ${unit}`;
  }
}
