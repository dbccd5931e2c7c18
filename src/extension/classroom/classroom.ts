/**
 * The classroom as the relay tells this client about it (docs/protocol.md, "Teachers"): the
 * role it was given, its own standing (a raised hand, a mute), and for teachers the roster. It
 * raises and lowers this student's hand, and carries out what a teacher does to the class.
 * Course servers have none of this: there, the role is unknown and every action explains why.
 */
import type { ConnectionEvent, ConnectionState } from '../../client/connectionTypes';
import { Emitter } from '../../client/events';
import { reportTo } from '../errorText';
import type { RelaySession, SendResult } from '../../client/types';
import type { Moderation, Role, Roster, Standing } from '../../protocol/classroom';
import { MAX_QUESTION_BYTES, MAX_REASON_BYTES } from '../../protocol/limits';
import { utf8Length } from '../../protocol/utf8';
import { dayAndClockTime } from '../../protocol/lineTime';
import type { ConnectionLifecycle, LifecycleEvent } from '../connection/connectionLifecycle';
import type { Clock, Disposable, Log, Notices, Prompts } from '../ports';
import type { Translate } from '../translate';
import { describeOutcome } from './refusalWording';

export type ClassroomUpdate =
  | { type: 'role' }
  | { type: 'standing' }
  | { type: 'roster' }
  /** A teacher cleared the hints of the lesson. */
  | { type: 'hintsCleared'; by: string }
  /** This teacher lowered the hand of `name`. */
  | { type: 'handLowered'; name: string };

export interface ClassroomServices {
  t: Translate;
  log: Log;
  clock: Clock;
  notices: Pick<Notices, 'info' | 'warning' | 'error' | 'flash'>;
  prompts: Pick<Prompts, 'optionalText' | 'text' | 'choose'>;
  /** Shows the chat on the conversation with `name`. */
  openChatWith(name: string): void;
}

/** How long a teacher may mute a student from the roster; undefined: until unmuted. */
export const MUTE_CHOICES: ReadonlyArray<number | undefined> = [5, 10, 30, undefined];

type Incoming = Extract<ConnectionEvent, { type: 'incoming' }>['event'];

export class Classroom implements Disposable {
  private readonly updates: Emitter<ClassroomUpdate>;
  private readonly subscription: Disposable;
  private currentRole: Role | undefined;
  private currentStanding: Standing = {};
  private currentRoster: Roster | undefined;
  /** A timed mute lapses without a word from the relay: this ends it here. */
  private muteEnds: Disposable | undefined;
  /** This student is lowering its own hand: no need to tell it that it went down. */
  private lowering = false;

  constructor(
    private readonly lifecycle: Pick<ConnectionLifecycle, 'onEvent' | 'session' | 'state' | 'requireConnection'>,
    private readonly services: ClassroomServices,
  ) {
    this.updates = new Emitter({ report: reportTo(services.log) });
    this.subscription = lifecycle.onEvent((event) => this.lifecycleEvent(event));
  }

  onUpdate(listener: (update: ClassroomUpdate) => void): Disposable {
    return this.updates.on(listener);
  }

  /** What the relay made this client; undefined on a course server or while not connected. */
  get role(): Role | undefined {
    return this.currentRole;
  }

  /** Connected (or reconnecting) as a teacher. */
  get isTeacher(): boolean {
    const kind = this.lifecycle.state.kind;
    return this.currentRole === 'teacher' && (kind === 'connected' || kind === 'waiting' || kind === 'connecting');
  }

  get standing(): Standing {
    return this.currentStanding;
  }

  /** The class, for teachers: the last roster the relay sent. */
  get roster(): Roster | undefined {
    return this.currentRoster;
  }

  // ---- a student's hand ----

  /** "Relay: Raise Hand": asks for an optional question unless one is given (the panel asks itself). */
  async raiseHand(given?: { question?: string }): Promise<void> {
    const { t, notices, prompts, clock } = this.services;
    const session = await this.relaySession();
    if (!session) return;
    if (this.currentRole === 'teacher') {
      void notices.info(t("Teachers do not raise hands: the class roster shows the students' hands."));
      return;
    }
    if (this.currentStanding.hand && !given) {
      const lower = t('Lower Hand');
      const choice = await notices.info(
        t('Your hand is up (since {0}).', dayAndClockTime(this.currentStanding.hand.at, clock.now())),
        lower,
      );
      if (choice === lower) await this.lowerHand();
      return;
    }
    let question = given?.question;
    if (!given) {
      question = await prompts.optionalText(
        t('Relay: Raise Hand'),
        t('Your question for the teacher (optional): press Enter to raise your hand.'),
        MAX_QUESTION_BYTES,
      );
      if (question === undefined) return;
    }
    question = question?.trim() || undefined;
    if (question !== undefined && utf8Length(question) > MAX_QUESTION_BYTES) {
      void notices.warning(
        t('The question has {0} bytes; a raised hand may carry at most {1}.', utf8Length(question), MAX_QUESTION_BYTES),
      );
      return;
    }
    const result = await session.raiseHand(true, question);
    if (result.status !== 'delivered')
      void notices.error(t('Your hand could not be raised: {0}', this.outcome(result)));
  }

  async lowerHand(): Promise<void> {
    const { t, notices } = this.services;
    const session = await this.relaySession();
    if (!session) return;
    if (!this.currentStanding.hand) {
      void notices.info(t('Your hand is not up.'));
      return;
    }
    this.lowering = true;
    const result = await session.raiseHand(false);
    if (result.status !== 'delivered') {
      this.lowering = false;
      void notices.error(t('Your hand could not be lowered: {0}', this.outcome(result)));
    }
  }

  // ---- what teachers do ----

  /** "Relay: Clear Hints": after asking, for everyone. */
  async clearHints(): Promise<void> {
    const { t, notices } = this.services;
    const session = await this.teacherSession(t('Only teachers can clear the hints of the lesson.'));
    if (!session) return;
    const clear = t('Clear Hints');
    const choice = await notices.warning(
      t(
        'Clear the hints of this lesson for everyone? Their panels drop the pinned hints, and students who join later get none of them.',
      ),
      clear,
    );
    if (choice !== clear) return;
    const result = await session.clearHints();
    if (result.status === 'delivered') notices.flash(t('The hints of the lesson are cleared for everyone.'), 4000);
    else void notices.error(t('The hints could not be cleared: {0}', this.outcome(result)));
  }

  /** Opens the chat on the conversation with `name`. */
  message(name: string): void {
    this.services.openChatWith(name);
  }

  /** Asks for how long, then mutes `name`. */
  async mute(name: string): Promise<void> {
    const { t, prompts } = this.services;
    const choices = MUTE_CHOICES.map((minutes) => ({
      id: minutes === undefined ? 'until-unmuted' : String(minutes),
      label: minutes === undefined ? t('Until I unmute them') : t('{0} minutes', minutes),
    }));
    const picked = await prompts.choose(
      choices,
      t('Mute {0}', name),
      t('For how long? Their messages are refused with a reason they see.'),
    );
    if (picked === undefined) return;
    const minutes = picked === 'until-unmuted' ? undefined : Number(picked);
    await this.moderate(minutes === undefined ? { action: 'mute', name } : { action: 'mute', name, minutes });
  }

  async unmute(name: string): Promise<void> {
    await this.moderate({ action: 'unmute', name });
  }

  /** Asks for the reason, which the student is shown, then disconnects `name`. */
  async disconnect(name: string): Promise<void> {
    const { t, prompts } = this.services;
    const reason = await prompts.text(t('Disconnect {0}', name), t('The reason, shown to {0}', name), MAX_REASON_BYTES);
    if (reason === undefined) return;
    await this.moderate({ action: 'disconnect', name, reason: reason.trim() });
  }

  async lowerHandOf(name: string): Promise<void> {
    await this.moderate({ action: 'lower-hand', name });
  }

  dispose(): void {
    this.subscription.dispose();
    this.muteEnds?.dispose();
    this.updates.clear();
  }

  private async moderate(action: Moderation): Promise<void> {
    const { t, notices } = this.services;
    const session = await this.teacherSession(
      t('Only teachers can mute, unmute or disconnect students or lower their hands.'),
    );
    if (!session) return;
    const result = await session.moderate(action);
    const { name } = action;
    if (result.status === 'unknown-peer') {
      void notices.warning(t('{0} is no longer connected.', name));
      return;
    }
    if (result.status !== 'delivered') {
      void notices.error(t('The relay did not do it: {0}', this.outcome(result)));
      return;
    }
    switch (action.action) {
      case 'mute':
        notices.flash(
          action.minutes === undefined
            ? t('{0} is muted until you unmute them.', name)
            : t('{0} is muted for {1} minutes.', name, action.minutes),
          4000,
        );
        return;
      case 'unmute':
        notices.flash(t('{0} can write again.', name), 4000);
        return;
      case 'disconnect':
        notices.flash(t('{0} was disconnected.', name), 4000);
        return;
      case 'lower-hand':
        this.emit({ type: 'handLowered', name });
        notices.flash(t('The hand of {0} is lowered.', name), 4000);
    }
  }

  /** How an action fared, when it did not go through. */
  private outcome(result: SendResult): string {
    return describeOutcome(result, this.services.t);
  }

  /** The session with our relay, after offering to connect; explains when there is none or it is a course server. */
  private async relaySession(): Promise<RelaySession | undefined> {
    const { t, notices } = this.services;
    if (!(await this.lifecycle.requireConnection())) return undefined;
    const session = this.lifecycle.session();
    if (!session) {
      void notices.warning(t('The connection to the relay is not up right now. Try again once it is back.'));
      return undefined;
    }
    if (session.dialect !== 'relay') {
      void notices.warning(
        t(
          'This is a course server: it has no teachers, raised hands or hints to everyone. They need the Classroom Relay.',
        ),
      );
      return undefined;
    }
    return session;
  }

  private async teacherSession(onlyTeachers: string): Promise<RelaySession | undefined> {
    const session = await this.relaySession();
    if (!session) return undefined;
    if (this.currentRole !== 'teacher') {
      void this.services.notices.warning(onlyTeachers);
      return undefined;
    }
    return session;
  }

  private lifecycleEvent(event: LifecycleEvent): void {
    if (event.type === 'switching') this.reset();
    else if (event.type === 'changed') this.stateChanged(this.lifecycle.state);
    else if (event.type === 'connection') {
      if (event.event.type === 'state') this.stateChanged(event.event.state);
      else if (event.event.type === 'incoming') this.incoming(event.event.event);
    }
  }

  private stateChanged(state: ConnectionState): void {
    if (state.kind === 'idle' || state.kind === 'failed') {
      this.reset();
      return;
    }
    if (state.kind !== 'connected') return;
    const session = this.lifecycle.session();
    const role = state.dialect === 'relay' ? (session?.role ?? this.currentRole ?? 'student') : undefined;
    this.setRole(role);
  }

  private incoming(event: Incoming): void {
    const { t, log } = this.services;
    switch (event.type) {
      case 'self':
        this.setRole(event.role);
        this.setStanding({
          ...(event.hand ? { hand: event.hand } : {}),
          ...(event.muted ? { muted: event.muted } : {}),
        });
        return;
      case 'roster':
        this.currentRoster = { entries: event.entries, total: event.total };
        if (event.handsLeftOut !== undefined) this.currentRoster.handsLeftOut = event.handsLeftOut;
        this.emit({ type: 'roster' });
        return;
      case 'hints-cleared':
        log.info(t('{0} cleared the hints of the lesson.', event.by));
        this.emit({ type: 'hintsCleared', by: event.by });
    }
  }

  private setRole(role: Role | undefined): void {
    if (role === this.currentRole) return;
    this.currentRole = role;
    if (role !== 'teacher' && this.currentRoster) {
      this.currentRoster = undefined;
      this.emit({ type: 'roster' });
    }
    this.emit({ type: 'role' });
  }

  /** A new standing from the relay, and a word to the student about what changed. */
  private setStanding(next: Standing): void {
    const { t, notices, clock } = this.services;
    const previous = this.currentStanding;
    this.currentStanding = next;
    const now = clock.now();
    if (next.muted && (!previous.muted || previous.muted.until !== next.muted.until)) {
      void notices.warning(
        next.muted.until
          ? t(
              'Your teacher muted you until {0}: your messages are refused until then.',
              dayAndClockTime(next.muted.until, now),
            )
          : t('Your teacher muted you: your messages are refused until you are unmuted.'),
      );
    } else if (!next.muted && previous.muted) {
      void notices.info(t('Your teacher unmuted you: you can write again.'));
    }
    if (previous.hand && !next.hand && !this.lowering)
      notices.flash(t('Your hand was lowered: your teacher answered or lowered it.'), 6000);
    if (!next.hand) this.lowering = false;
    this.scheduleMuteEnd();
    this.emit({ type: 'standing' });
  }

  private scheduleMuteEnd(): void {
    this.muteEnds?.dispose();
    this.muteEnds = undefined;
    const until = this.currentStanding.muted?.until;
    if (until === undefined) return;
    const ms = Math.max(0, Date.parse(until) - this.services.clock.now().getTime());
    this.muteEnds = this.services.clock.after(ms, () => {
      this.muteEnds = undefined;
      if (this.currentStanding.muted?.until !== until) return;
      const { muted: _muted, ...rest } = this.currentStanding;
      this.currentStanding = rest;
      this.services.notices.flash(this.services.t('Your mute has ended: you can write again.'), 6000);
      this.emit({ type: 'standing' });
    });
  }

  private reset(): void {
    const had = {
      role: this.currentRole !== undefined,
      standing: Object.keys(this.currentStanding).length > 0,
      roster: this.currentRoster !== undefined,
    };
    this.currentRole = undefined;
    this.currentStanding = {};
    this.currentRoster = undefined;
    this.lowering = false;
    this.muteEnds?.dispose();
    this.muteEnds = undefined;
    if (had.role) this.emit({ type: 'role' });
    if (had.standing) this.emit({ type: 'standing' });
    if (had.roster) this.emit({ type: 'roster' });
  }

  private emit(update: ClassroomUpdate): void {
    this.updates.fire(update);
  }
}
