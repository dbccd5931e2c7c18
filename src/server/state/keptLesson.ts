/**
 * A relay's lesson kept in a state folder: restored into the classroom (and the classes made on
 * the relay into their registry) at the start, and kept from then on by a keeper. The teacher key
 * is the one given, else the kept one, else a new one (also when a new one is asked for); a key
 * not yet kept is kept with the first write.
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
  classroom.restore(kept);
  classes?.restore(kept.classes);
  if (kept.classes.length > 0) log(`classes kept: ${kept.classes.length}`);
  const teacherKey = options.teacherKey ?? (options.newTeacherKey ? undefined : kept.teacherKey) ?? makeTeacherKey();
  if (options.teacherKey === undefined) classroom.useTeacherKey(teacherKey);
  const keeper = new LessonKeeper(store, classroom, state.writeMs, log, undefined, classes);
  keeper.start(teacherKey === kept.teacherKey ? undefined : teacherKey);
  return { keeper, teacherKey };
}
