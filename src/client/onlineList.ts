/**
 * Who else is online, as a framed client keeps it: the welcome's first page, kept current by
 * presence, and asked for again page by page (`who`) when the relay says the list changed too
 * much to name. Rooms up to LISTED_ONLINE are listed in full; larger ones keep a page and the count.
 */
import type { ServerFrame } from '../protocol/frames';

type OnlinePage = Extract<ServerFrame, { type: 'online' }>;

/** Rooms up to this size are listed in full; beyond it the client keeps the first page and the count. */
const LISTED_ONLINE = 1000;
/** After the relay said the list changed too much to name, the client asks for it again this much later. */
const REFETCH_DELAY_MS = 1000;

/** What the list needs of its connection. */
export interface OnlineListLink {
  /** The name this client registered, which the list leaves out. */
  self(): string | undefined;
  isOpen(): boolean;
  readonly answerTimeoutMs: number;
  /** Asks the relay for a page of who is online. */
  ask(frame: { type: 'who'; id: string; after?: string }): void;
  newId(): string;
  /** Who came and went, and everyone else online now. */
  changed(joined: string[], left: string[], online: string[]): void;
}

export class OnlineList {
  private names: string[] = [];
  private count = 0;
  private refetchTimer: NodeJS.Timeout | undefined;
  private readonly pages = new Map<string, (frame: OnlinePage | undefined) => void>();

  constructor(private readonly link: OnlineListLink) {}

  get online(): readonly string[] {
    return this.names;
  }

  get total(): number {
    return Math.max(this.count, this.names.length);
  }

  welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): void {
    this.names = sortNames(frame.online.filter((name) => name !== frame.name));
    this.count = frame.onlineTotal ?? this.names.length;
    if (this.count > this.names.length) this.scheduleRefetch();
  }

  batch(frame: Extract<ServerFrame, { type: 'presence-batch' }>): void {
    this.count = Math.max(0, frame.online - 1);
    if (frame.truncated) this.scheduleRefetch();
    else this.apply(frame.joined, frame.left);
  }

  /** A page answering a `who` of ours. */
  page(frame: OnlinePage): void {
    this.pages.get(frame.id)?.(frame);
  }

  /**
   * Applies where the named people ended up: `left` are gone, `joined` are online (also those
   * who left and came back, whom the relay names again). The relay may repeat what the welcome
   * already said, so this is set arithmetic.
   */
  apply(joined: string[], left: string[]): void {
    const self = this.link.self();
    const came = joined.filter((name) => name !== self);
    const gone = left.filter((name) => name !== self && !came.includes(name));
    if (came.length === 0 && gone.length === 0) return;
    const before = this.names.length;
    const kept = this.names.filter((name) => !gone.includes(name));
    // A room too large to list keeps its count only: a relay cannot grow this list without end.
    this.names = sortNames([...new Set([...kept, ...came])].slice(0, LISTED_ONLINE));
    this.count = Math.max(this.count + this.names.length - before, this.names.length);
    this.link.changed(came, gone, this.names);
  }

  /** Everyone online, page by page with `who`; undefined when the connection closed meanwhile. */
  async fetchAll(): Promise<string[] | undefined> {
    const names: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.whoPage(after);
      if (!page) return undefined;
      names.push(...page.names.filter((name) => name !== this.link.self()));
      this.count = page.total;
      if (page.next === undefined || names.length >= LISTED_ONLINE) return names;
      after = page.next;
    }
  }

  /** The connection closed: no refetch, and pages asked for never come. */
  close(): void {
    if (this.refetchTimer) clearTimeout(this.refetchTimer);
    this.refetchTimer = undefined;
    for (const finish of [...this.pages.values()]) finish(undefined);
  }

  /** Asks for the whole list again, once, a moment after the relay said it changed too much to name. */
  private scheduleRefetch(): void {
    if (this.refetchTimer || this.count > LISTED_ONLINE) return;
    this.refetchTimer = setTimeout(() => {
      this.refetchTimer = undefined;
      void this.fetchAll().then((names) => {
        if (!names) return;
        const known = new Set(this.names);
        const now = new Set(names);
        this.apply(
          names.filter((name) => !known.has(name)),
          this.names.filter((name) => !now.has(name)),
        );
      });
    }, REFETCH_DELAY_MS);
  }

  private whoPage(after: string | undefined): Promise<OnlinePage | undefined> {
    if (!this.link.isOpen()) return Promise.resolve(undefined);
    const id = this.link.newId();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), this.link.answerTimeoutMs);
      const finish = (frame: OnlinePage | undefined) => {
        clearTimeout(timer);
        this.pages.delete(id);
        resolve(frame);
      };
      this.pages.set(id, finish);
      this.link.ask(after === undefined ? { type: 'who', id } : { type: 'who', id, after });
    });
  }
}

function sortNames(names: string[]): string[] {
  return names.sort((a, b) => a.localeCompare(b));
}
