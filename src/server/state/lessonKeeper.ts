/**
 * Writes the lesson off the message path: the classroom only notes what changed (classroom.ts,
 * `keepChanges`); the keeper writes those rows in one batch at most every `writeMs`, one write
 * at a time, and once more when the relay closes. A failed write is logged, never thrown at the
 * relay, and tried again with the next batch.
 */
import type { Classroom } from '../classroom/classroom';
import type { LessonBatch, LessonStore } from './lessonStore';
import type { ClassRegistry } from '../classes/classRegistry';

export interface KeeperTimers {
  clock: () => number;
  /** Runs `run` after `ms`; the function returned cancels it. */
  after: (ms: number, run: () => void) => () => void;
}

const REAL_TIMERS: KeeperTimers = {
  clock: Date.now,
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

export class LessonKeeper {
  private cancelTimer: (() => void) | undefined;
  private writing: Promise<void> | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;
  /** Changes wait for the next write. */
  private wanted = false;
  private closing: Promise<void> | undefined;
  /** What the next write does with the kept teacher key: keeps this one, or (null) forgets it. */
  private teacherKey: string | null | undefined;
  private failing = false;

  constructor(
    private readonly store: Pick<LessonStore, 'write' | 'close'>,
    private readonly classroom: Pick<Classroom, 'keepChanges' | 'takeChanges'>,
    private readonly writeMs: number,
    private readonly log: (detail: string) => void,
    private readonly timers: KeeperTimers = REAL_TIMERS,
    /** The classes made on the relay, kept beside the default class's lesson. */
    private readonly classes?: Pick<ClassRegistry, 'keepChanges' | 'takeChanges'>,
  ) {}

  /**
   * Starts noting the classroom's changes; `teacherKey`, when given, is kept with the first write
   * (null: the kept one is forgotten with it).
   */
  start(teacherKey?: string | null): void {
    this.classroom.keepChanges(() => this.wake());
    this.classes?.keepChanges(() => this.wake());
    if (teacherKey !== undefined) {
      this.teacherKey = teacherKey;
      this.wake();
    }
  }

  /**
   * Takes what changed now (before the relay lets its connections go, which would forget the
   * standing of names without a hand or mute), writes it after any write in flight, and closes
   * the store.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.cancelTimer?.();
      this.cancelTimer = undefined;
      const last = this.batch();
      await this.writing;
      await this.write(last);
      this.store.close();
    })();
    return this.closing;
  }

  private wake(): void {
    this.wanted = true;
    if (this.closing || this.cancelTimer || this.writing) return;
    const wait = Math.max(0, this.lastWrite + this.writeMs - this.timers.clock());
    this.cancelTimer = this.timers.after(wait, () => {
      this.cancelTimer = undefined;
      this.writing = this.write(this.batch()).finally(() => {
        this.writing = undefined;
        if (this.wanted && !this.closing) this.wake();
      });
    });
  }

  private batch(): LessonBatch {
    this.wanted = false;
    const changes: LessonBatch = this.classroom.takeChanges();
    const classes = this.classes?.takeChanges();
    if (classes) changes.classes = classes;
    const batch: LessonBatch = this.teacherKey === undefined ? changes : { ...changes, teacherKey: this.teacherKey };
    this.teacherKey = undefined;
    return batch;
  }

  private async write(batch: LessonBatch): Promise<void> {
    this.lastWrite = this.timers.clock();
    try {
      await this.store.write(batch);
      if (this.failing) this.log('the lesson is written again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.log(`the lesson could not be written: ${(error as Error).message}; trying again`);
      this.failing = true;
      // The rows are in the store's memory: the next write carries them to the file.
      if (!this.closing) this.wake();
    }
  }
}
