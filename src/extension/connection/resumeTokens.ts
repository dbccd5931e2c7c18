/**
 * The relay's resume token of each registration (per server and name), kept across windows and
 * restarts. A connection can outlive its window (a closed code-server tab leaves its extension
 * host running; a laptop's lid closes on a half-open connection) and hold the name: the next
 * window of the same student presents the token and takes the name over (docs/protocol.md,
 * "Resuming a registration"). `lastSeq` is kept up to date so that what was delivered to the
 * old window is not handed to the new one a second time.
 */
import type { Resume } from '../../protocol/frames';
import { MAX_RESUME_TOKEN_BYTES } from '../../protocol/limits';
import { nameKey } from '../../protocol/nameSkeleton';
import { utf8Length } from '../../protocol/utf8';
import type { Storage } from '../ports';

export const RESUME_TOKENS = 'relay.resumeTokens';

/** Registrations kept; the oldest go first. */
const MAX_KEPT = 20;

interface Entry extends Resume {
  /** When it was last kept (ms since 1970), to keep the newest. */
  at: number;
  /** The window that kept it last (windowSession.ts): after a restart only that one takes the name over. */
  window?: string;
}

export class ResumeTokens {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => number,
  ) {}

  get(server: string, name: string): Resume | undefined {
    const entry = this.read()[key(server, name)];
    return entry && { token: entry.token, lastSeq: entry.lastSeq };
  }

  /** The window that kept the registration's token last, if one said. */
  holder(server: string, name: string): string | undefined {
    return this.read()[key(server, name)]?.window;
  }

  /** Keeps `resume` for the registration, kept by `window`; writes only when it changed. */
  async keep(server: string, name: string, resume: Resume, window?: string): Promise<void> {
    const entries = this.read();
    const id = key(server, name);
    const known = entries[id];
    if (known && known.token === resume.token && known.lastSeq === resume.lastSeq && known.window === window) return;
    entries[id] = { token: resume.token, lastSeq: resume.lastSeq, at: this.now(), ...(window ? { window } : {}) };
    const kept = Object.entries(entries)
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, MAX_KEPT);
    await this.storage.update(RESUME_TOKENS, Object.fromEntries(kept));
  }

  /** What is stored, without entries that are not well-formed. */
  private read(): Record<string, Entry> {
    const stored = this.storage.get<unknown>(RESUME_TOKENS);
    const entries: Record<string, Entry> = {};
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return entries;
    for (const [id, value] of Object.entries(stored)) {
      const { token, lastSeq, at, window } = (value ?? {}) as Partial<Entry>;
      if (
        typeof token === 'string' &&
        token !== '' &&
        // The relay's tokens are 24 characters; one longer than a hello may carry was not kept by us.
        utf8Length(token) <= MAX_RESUME_TOKEN_BYTES &&
        Number.isSafeInteger(lastSeq) &&
        lastSeq! >= 0 &&
        typeof at === 'number'
      ) {
        entries[id] = { token, lastSeq: lastSeq!, at, ...(typeof window === 'string' ? { window } : {}) };
      }
    }
    return entries;
  }
}

/** One registration: the server as written, and the name as the relay compares it. */
function key(server: string, name: string): string {
  return `${server} ${nameKey(name)}`;
}
