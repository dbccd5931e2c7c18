/**
 * Where to connect and as whom: the server and name given, set in the settings, used last, or
 * asked for; and what is remembered of it for next time (the recent servers, the last name).
 */
import { formatServerAddress, parseServerAddress, type ServerAddress } from '../../protocol/address';
import { nameKey } from '../../protocol/nameSkeleton';
import type { Prompts, Storage } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';

export const RECENT_SERVERS = 'relay.recentServers';
export const LAST_NAME = 'relay.lastName';
/** Recent servers offered when asking for one. */
const RECENT_KEPT = 5;

export interface Target {
  server: ServerAddress;
  name: string;
}

export interface ConnectOptions {
  /** Connect exactly here, asking nothing. */
  target?: Target;
  /** Connect to this server, asking only for the name if none is known. */
  server?: ServerAddress;
  /** Connect anew even when connected there already (a teacher key was entered). */
  again?: boolean;
  askServer?: boolean;
  askName?: boolean;
  /** On startup: ask nothing, open no panel. */
  silent?: boolean;
  /** Connecting again by itself (after a reload): an unreachable relay is tried again, as after a drop. */
  keepTrying?: boolean;
}

export interface TargetServices {
  t: Translate;
  prompts: Pick<Prompts, 'server' | 'name'>;
  storage: Storage;
  settings(): RelaySettings;
}

/**
 * The target `options` ask for; `chosen`: the one in use, if any; `registered`: a name the person
 * registered since (Register Name while disconnected), used before any other. Undefined when the
 * person cancelled.
 */
export async function chooseTarget(
  options: ConnectOptions,
  chosen: Target | undefined,
  services: TargetServices,
  registered?: string,
): Promise<Target | undefined> {
  if (options.target) return options.target;
  const { prompts, storage, t } = services;
  const settings = () => services.settings();
  const recent = storage.get<string[]>(RECENT_SERVERS) ?? [];
  let server = options.server ?? (options.askServer ? undefined : (settings().server ?? chosen?.server));
  if (!server) {
    if (options.silent) return undefined;
    server = await prompts.server(recent, chosen?.server);
    if (!server) return undefined;
  }
  let name = options.askName ? undefined : (registered ?? settings().name ?? chosen?.name);
  if (!name) {
    if (options.silent) return undefined;
    name = await prompts.name(storage.get<string>(LAST_NAME), t('Relay: Connect'));
    if (!name) return undefined;
  }
  return { server, name };
}

/** A target connected to: its server first among the recent ones, its name the last one. */
export async function rememberTarget(storage: Storage, target: Target): Promise<void> {
  const address = formatServerAddress(target.server);
  const recent = (storage.get<string[]>(RECENT_SERVERS) ?? []).filter((entry) => entry !== address);
  await storage.update(RECENT_SERVERS, [address, ...recent].slice(0, RECENT_KEPT));
  await storage.update(LAST_NAME, target.name);
}

/** The same server (transport, host, port and class) and the same name as the relay compares names. */
export function sameTarget(a: Target, b: Target): boolean {
  return (
    a.server.transport === b.server.transport &&
    a.server.host === b.server.host &&
    a.server.port === b.server.port &&
    a.server.classCode === b.server.classCode &&
    nameKey(a.name) === nameKey(b.name)
  );
}

/** The server and name the settings name, else the ones used last; undefined when either is not known. */
export function lastUsedTarget(storage: Storage, settings: RelaySettings): Target | undefined {
  const recent = storage.get<unknown>(RECENT_SERVERS);
  const last = Array.isArray(recent) && typeof recent[0] === 'string' ? parseServerAddress(recent[0]) : undefined;
  const server = settings.server ?? (last?.ok ? last.address : undefined);
  const name = settings.name ?? storage.get<unknown>(LAST_NAME);
  return server && typeof name === 'string' && name !== '' ? { server, name } : undefined;
}
