/**
 * Where a relay keeps its lesson by default: a folder per port under the user's state folder
 * ($XDG_STATE_HOME or ~/.local/state on Linux, ~/Library/Application Support on macOS,
 * %LOCALAPPDATA% on Windows).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userStateDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
}

export function defaultStateDir(port: number, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string {
  return join(userStateDir(env, platform), 'classroom-relay', `port-${port}`);
}
