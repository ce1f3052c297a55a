import { describe, expect, it } from 'vitest';
import { dueState, isOverdue, parseTasksView, recordTasksQuery, tasksListQuery, tasksViewSearch } from './tasks';

describe('tasks', () => {
  it('parses the view with not done as the default', () => {
    expect(parseTasksView(new URLSearchParams(''))).toEqual({ mine: false, done: 'open', page: 1, limit: 50 });
    const view = parseTasksView(new URLSearchParams('mine=1&done=all&page=2'));
    expect(view).toEqual({ mine: true, done: 'all', page: 2, limit: 50 });
    expect(tasksViewSearch(view).toString()).toBe('mine=1&done=all&page=2');
  });

  it('asks for the effective user\'s tasks and the completion state', () => {
    expect(tasksListQuery({ mine: true, done: 'done', page: 1, limit: 25 }, 7)).toBe(
      'filter%5Bresponsible_user_id%5D=7&filter%5Bis_completed%5D=1&page=1&limit=25',
    );
    expect(tasksListQuery({ mine: false, done: 'all', page: 2, limit: 50 }, 7)).toBe('page=2&limit=50');
    expect(recordTasksQuery('contacts', 5)).toBe('filter[entity_type]=contacts&filter[entity_id]=5&limit=50');
    expect(recordTasksQuery('customers', 7)).toBe('filter[entity_type]=customers&filter[entity_id]=7&limit=50');
  });

  it('says overdue in words', () => {
    const now = 1_700_000_000;
    expect(isOverdue({ complete_till: now - 1, is_completed: false }, now)).toBe(true);
    expect(isOverdue({ complete_till: now - 1, is_completed: true }, now)).toBe(false);
    expect(dueState({ complete_till: now - 3 * 86400 - 5, is_completed: false }, now)).toBe('Overdue by 3 days');
    expect(dueState({ complete_till: now - 86400, is_completed: false }, now)).toBe('Overdue by 1 day');
    expect(dueState({ complete_till: now - 60, is_completed: false }, now)).toBe('Overdue');
    expect(dueState({ complete_till: now + 2 * 86400 + 5, is_completed: false }, now)).toBe('Due in 2 days');
    expect(dueState({ complete_till: now + 60, is_completed: false }, now)).toBe('Due within a day');
    expect(dueState({ complete_till: now - 60, is_completed: true }, now)).toBe('Done');
  });
});
