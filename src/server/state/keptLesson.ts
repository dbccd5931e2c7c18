/**
 * A relay's lesson kept in a state folder: restored into the classroom (and the classes made on
 * the relay into their registry) at the start, and kept from then on by a keeper. The teacher key
 * is the one given, else the kept one, else a new one (also when a new one is asked for). Only a
 * key the relay made is kept (with the first write): a key given comes from a place of its own
 * (VS Code's secret storage, the environment, the command line) and is never written to the
 * folder; a copy of it an earlier version kept is removed.
 */
import type { Classroom } from '../classroom/classroom';
import type { ClassRegistry } from '../classes/classRegistry';
import { makeTeacherKey } from '../classroom/teacherKey';
import type { RelayPolicy } from '../policy/policy';
import { LessonKeeper } from './lessonKeeper';
import { LessonStore } from './lessonStore';

export interface KeptLessonOptions {
  stateDir: string;
  teacherKey?: string;
  newTeacherKey?: boolean;
}

export async function keepLesson(
  classroom: Classroom,
  options: KeptLessonOptions,
  state: RelayPolicy['state'],
  log: (detail: string) => void,
  classes?: ClassRegistry,
): Promise<{ keeper: LessonKeeper; teacherKey: string }> {
  const store = await LessonStore.open({ dir: options.stateDir, lessonMs: state.lessonMs, log });
  const { kept } = store;
  const given = options.teacherKey;
  let teacherKey: string;
  /** What the first write does with the kept key (keeper.start). */
  let keep: string | null | undefined;
  if (given !== undefined) {
    teacherKey = given;
    if (kept.teacherKey === given) keep = null;
  } else if (kept.teacherKey !== undefined && !options.newTeacherKey) teacherKey = kept.teacherKey;
  else teacherKey = keep = makeTeacherKey();
  if (given === undefined) classroom.useTeacherKey(teacherKey);
  const keeper = new LessonKeeper(store, classroom, state.writeMs, log, undefined, classes);
  // Changes are noted from before the restore, so what the classroom's bounds leave out of it
  // leaves the file with the first write.
  keeper.start(keep);
  classroom.restore(kept);
  classes?.restore(kept.classes);
  if (kept.classes.length > 0) log(`classes kept: ${kept.classes.length}`);
  return { keeper, teacherKey };
}
