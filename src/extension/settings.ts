/** The `relay.*` settings, read and checked; a bad value falls back to its default with a message saying so. */
import { parseServerAddress, type ServerAddress } from '../protocol/address';
import { checkName } from '../protocol/names';
import { DIALECT_CHOICES, type DialectChoice } from '../client/types';
import type { Translate } from './translate';

export type NotificationLevel = 'all' | 'hints' | 'off';

export interface RelaySettings {
  server: ServerAddress | undefined;
  name: string | undefined;
  dialect: DialectChoice;
  autoConnect: boolean;
  notifications: NotificationLevel;
  historySize: number;
  traceWire: boolean;
  /** The port "Relay: Host Classroom" listens on; undefined: the last one used, or 12345. */
  hostPort: number | undefined;
}

export const DEFAULT_SETTINGS: RelaySettings = {
  server: undefined,
  name: undefined,
  dialect: 'auto',
  autoConnect: false,
  notifications: 'all',
  historySize: 500,
  traceWire: false,
  hostPort: undefined,
};

export const MAX_HISTORY = 10_000;

export function readSettings(
  get: (key: string) => unknown,
  t: Translate,
): { settings: RelaySettings; problems: string[] } {
  const problems: string[] = [];
  const settings: RelaySettings = { ...DEFAULT_SETTINGS };

  const server = get('server');
  if (typeof server === 'string' && server.trim() !== '') {
    const check = parseServerAddress(server);
    if (check.ok) settings.server = check.address;
    else problems.push(t('Setting relay.server: {0}. It is ignored; you will be asked for the server.', check.detail));
  } else if (server !== undefined && server !== null && typeof server !== 'string') {
    problems.push(t('Setting relay.server must be text like 192.168.0.10:12345. It is ignored.'));
  }

  const name = get('name');
  if (typeof name === 'string' && name.trim() !== '') {
    const check = checkName(name.trim());
    if (check.ok) settings.name = check.name;
    else problems.push(t('Setting relay.name: {0}. It is ignored; you will be asked for a name.', check.detail));
  } else if (name !== undefined && name !== null && typeof name !== 'string') {
    problems.push(t('Setting relay.name must be text. It is ignored.'));
  }

  const dialect = get('dialect');
  if (dialect !== undefined) {
    if (DIALECT_CHOICES.includes(dialect as DialectChoice)) settings.dialect = dialect as DialectChoice;
    else problems.push(t('Setting relay.dialect must be one of {0}; "auto" is used.', DIALECT_CHOICES.join(', ')));
  }

  const autoConnect = get('autoConnect');
  if (autoConnect !== undefined) {
    if (typeof autoConnect === 'boolean') settings.autoConnect = autoConnect;
    else problems.push(t('Setting relay.autoConnect must be true or false; false is used.'));
  }

  const notifications = get('notifications');
  if (notifications !== undefined) {
    if (notifications === 'all' || notifications === 'hints' || notifications === 'off')
      settings.notifications = notifications;
    else problems.push(t('Setting relay.notifications must be "all", "hints" or "off"; "all" is used.'));
  }

  const history = get('historySize');
  if (history !== undefined) {
    if (typeof history === 'number' && Number.isInteger(history) && history >= 0 && history <= MAX_HISTORY)
      settings.historySize = history;
    else
      problems.push(
        t(
          'Setting relay.historySize must be a whole number from 0 to {0}; {1} is used.',
          MAX_HISTORY,
          DEFAULT_SETTINGS.historySize,
        ),
      );
  }

  const trace = get('traceWire');
  if (trace !== undefined) {
    if (typeof trace === 'boolean') settings.traceWire = trace;
    else problems.push(t('Setting relay.traceWire must be true or false; false is used.'));
  }

  const hostPort = get('hostPort');
  if (hostPort !== undefined && hostPort !== null) {
    if (typeof hostPort === 'number' && Number.isInteger(hostPort) && hostPort >= 1 && hostPort <= 65535)
      settings.hostPort = hostPort;
    else
      problems.push(
        t('Setting relay.hostPort must be a port from 1 to 65535, or empty; the last port used (or 12345) is used.'),
      );
  }

  return { settings, problems };
}
