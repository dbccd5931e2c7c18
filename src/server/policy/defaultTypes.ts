/** What an entry of the relay's table of defaults (defaults.ts) is: its figure, unit, `serve` flag and description. */
export type DefaultUnit =
  | 'connections'
  | 'periods'
  | 'errors'
  | 'messages'
  | 'frames'
  | 'lines'
  | 'ids'
  | 'names'
  | 'pages'
  | 'registrations'
  | 'attempts'
  | 'addresses'
  | 'classes'
  | 'share'
  | 'ms'
  | 'bytes';

/** A `serve` flag: it takes a count as it is, a time (kept in ms) in seconds, minutes or days, or bytes in MiB. */
export interface ServeFlag {
  readonly name: string;
  readonly takes: 'count' | 'seconds' | 'minutes' | 'days' | 'mebibytes';
}

export interface RelayDefault {
  readonly value: number;
  readonly unit: DefaultUnit;
  readonly flag?: ServeFlag;
  /** One line: what it is; for a flag, also its help. */
  readonly description: string;
}
