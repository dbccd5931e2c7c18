/** Opening a session for a command, with the remembered dialect, or saying why not. */
import { openSession, type OpenOptions } from '../client/connect';
import { NodeRounds, type NodeOptions } from '../client/failover';
import { RelayError, type RelaySession } from '../client/types';
import { formatServerAddress, type ServerAddress } from '../protocol/address';
import { escapeControls } from '../protocol/sanitize';
import { exitForOpenError, type ExitCode } from './exitCodes';
import { openAdvice } from './words';
import { DialectMemory, dialectMemoryFile } from './dialectMemory';

/**
 * Opens a session for a command, on the first node of the relay that answers, or says on stderr
 * why it could not (with what to do about it) and gives the exit code. `keySource` names where a
 * teacher key came from, never the key.
 */
export async function openOrReport(
  options: OpenOptions & NodeOptions,
  server: ServerAddress,
  err: (line: string) => void,
  keySource?: string,
): Promise<RelaySession | ExitCode> {
  const memory =
    options.dialect === 'auto' || options.dialect === undefined
      ? new DialectMemory(dialectMemoryFile(), err)
      : undefined;
  const address = formatServerAddress(server);
  try {
    const session = await new NodeRounds(options).open(
      { ...options, remembered: memory?.recall(address) },
      openSession,
      () => false,
    );
    memory?.remember(address, session.dialect);
    return session;
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    err(`classroom-relay: ${escapeControls(error.message)} (${formatServerAddress(server)})`);
    const advice = openAdvice(error, keySource);
    if (advice) err(advice);
    return exitForOpenError(error.code);
  }
}
