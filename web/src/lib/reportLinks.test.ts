import { describe, expect, test } from 'vitest';
import { affectedLink, affectedUsers, findingFix, findingLink } from './reportLinks';

describe('findingLink', () => {
  test('two-step verification findings lead to the security settings', () => {
    expect(findingLink('admins_without_two_factor').to).toBe('/settings/security');
    expect(findingLink('two_factor_not_required').to).toBe('/settings/security');
  });
  test('every documented code has a page', () => {
    const expected: Record<string, string> = {
      failed_login_burst: '/settings/activity?type=login_failed',
      too_many_administrators: '/settings/users',
      export_rights_allowed: '/settings/users',
      dormant_users: '/settings/users',
      deactivated_users_own_records: '/settings/users',
      session_new_country: '/settings/sessions',
      ip_whitelist_off: '/settings/security',
      export_rights_team_wide: '/settings/users',
      idle_sessions: '/settings/sessions',
      ip_whitelist_report_only: '/settings/security',
      unused_roles: '/settings/roles',
      unused_api_tokens: '/settings/integrations',
    };
    for (const [code, to] of Object.entries(expected)) expect(findingLink(code).to).toBe(to);
  });
  test('an unknown code still leads somewhere useful', () => {
    expect(findingLink('new_check').to).toBe('/settings/security');
  });
});

describe('findingFix', () => {
  const codes = [
    'admins_without_two_factor',
    'failed_login_burst',
    'two_factor_not_required',
    'too_many_administrators',
    'export_rights_allowed',
    'dormant_users',
    'deactivated_users_own_records',
    'session_new_country',
    'ip_whitelist_off',
    'export_rights_team_wide',
    'idle_sessions',
    'ip_whitelist_report_only',
    'unused_roles',
    'unused_api_tokens',
  ];
  test('every documented code is fixed in console words, never an API call', () => {
    for (const code of codes) {
      const words = findingFix(code, 'PATCH /api/v4/security/policy');
      expect(words, code).not.toMatch(/\/api\/|PATCH|PUT|POST|DELETE|\{/);
      expect(words, code).toMatch(/Settings → |Profile|activity log/);
    }
  });
  test('the pages named are the pages the finding links to', () => {
    expect(findingFix('ip_whitelist_off', '')).toContain('Settings → Security');
    expect(findingLink('ip_whitelist_off').to).toBe('/settings/security');
    expect(findingFix('idle_sessions', '')).toContain('Settings → Sessions');
    expect(findingLink('idle_sessions').to).toBe('/settings/sessions');
    expect(findingFix('unused_roles', '')).toContain('Settings → Roles');
    expect(findingLink('unused_roles').to).toBe('/settings/roles');
  });
  test('a code this console does not know keeps the report’s own words', () => {
    expect(findingFix('new_check', 'do this')).toBe('do this');
  });
});

describe('affectedLink', () => {
  test('per affected type', () => {
    expect(affectedLink({ type: 'user', id: 4 })).toBe('/settings/users/4');
    expect(affectedLink({ type: 'role', id: 2 })).toBe('/settings/roles/2');
    expect(affectedLink({ type: 'session', id: 'abc', user_id: 9 })).toBe('/settings/users/9');
    expect(affectedLink({ type: 'session', id: 'abc' })).toBe('/settings/sessions');
    expect(affectedLink({ type: 'account', id: 1 })).toBe('/settings/security');
    expect(affectedLink({ type: 'token', id: 12, user_id: 3 })).toBe('/settings/integrations');
    expect(affectedLink({ type: 'address', id: '10.0.0.1' })).toBe('/settings/activity?type=login_failed');
    expect(affectedLink({ type: 'thing', id: 1 })).toBeNull();
  });
});

describe('affectedUsers', () => {
  test('each user once, with every finding naming them, by name', () => {
    const users = affectedUsers([
      { code: 'a', title: '', affected: [{ type: 'user', id: 2, name: 'Zed' }, { type: 'user', id: 1, name: 'Ada' }] },
      { code: 'b', title: '', affected: [{ type: 'session', id: 's1', user_id: 2, name: 'Zed' }, { type: 'account', id: 1, name: 'Acme' }] },
    ]);
    expect(users).toEqual([
      { id: 1, name: 'Ada', findings: ['a'] },
      { id: 2, name: 'Zed', findings: ['a', 'b'] },
    ]);
  });
});
