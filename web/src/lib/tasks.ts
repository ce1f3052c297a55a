// The tasks list's state in the URL ("My tasks", done or not, page) and its Kommo query, and how
// a task's due date reads: an open task past its complete_till is overdue, said in words.
import { defaultLimit, pageLimit, positiveInt } from './listQuery';

export type DoneFilter = 'open' | 'done' | 'all';

export interface TasksView {
  mine: boolean;
  done: DoneFilter;
  page: number;
  limit: number;
}

export function parseTasksView(search: URLSearchParams): TasksView {
  const done = search.get('done');
  return {
    mine: search.get('mine') === '1',
    done: done === 'done' || done === 'all' ? done : 'open',
    page: positiveInt(search.get('page')) ?? 1,
    limit: pageLimit(search.get('limit')),
  };
}

export function tasksViewSearch(view: TasksView): URLSearchParams {
  const out = new URLSearchParams();
  if (view.mine) out.set('mine', '1');
  if (view.done !== 'open') out.set('done', view.done);
  if (view.page > 1) out.set('page', String(view.page));
  if (view.limit !== defaultLimit) out.set('limit', String(view.limit));
  return out;
}

// GET /api/v4/tasks for a view; `me` is the user whose tasks "My tasks" means (the effective
// user: the one an administrator views as, else the signed-in one).
export function tasksListQuery(view: TasksView, me: number): string {
  const out = new URLSearchParams();
  if (view.mine) out.set('filter[responsible_user_id]', String(me));
  if (view.done !== 'all') out.set('filter[is_completed]', view.done === 'done' ? '1' : '0');
  out.set('page', String(view.page));
  out.set('limit', String(view.limit));
  return out.toString();
}

// The record kinds a task is attached to (Kommo's entity_type, plural).
export type TaskEntityType = 'leads' | 'contacts' | 'companies' | 'customers';

// The tasks of one record (its page's "Tasks" section), open ones and done ones alike.
export function recordTasksQuery(entityType: TaskEntityType, id: number): string {
  return `filter[entity_type]=${entityType}&filter[entity_id]=${id}&limit=50`;
}

export interface DueTask {
  complete_till: number;
  is_completed: boolean;
}

export function isOverdue(task: DueTask, nowSeconds: number): boolean {
  return !task.is_completed && task.complete_till < nowSeconds;
}

// "Overdue by 3 days", "Due in 2 days", "Done": the state in words, so colour is
// never the only cue.
export function dueState(task: DueTask, nowSeconds: number): string {
  if (task.is_completed) return 'Done';
  const dayLength = 86400;
  const delta = task.complete_till - nowSeconds;
  const days = Math.floor(Math.abs(delta) / dayLength);
  if (delta < 0) {
    if (days === 0) return 'Overdue';
    return `Overdue by ${days} day${days === 1 ? '' : 's'}`;
  }
  if (days === 0) return 'Due within a day';
  return `Due in ${days} day${days === 1 ? '' : 's'}`;
}
