// Where each security-report finding is fixed in the console, and where each affected entry
// leads (docs/api.md "Security report" lists the codes and affected types).

export interface ConsoleLink {
  to: string;
  label: string;
}

const security: ConsoleLink = { to: '/settings/security', label: 'Open security settings' };
const users: ConsoleLink = { to: '/settings/users', label: 'Open user management' };
const sessions: ConsoleLink = { to: '/settings/sessions', label: 'Open sessions' };

const byCode: Record<string, ConsoleLink> = {
  admins_without_two_factor: { ...security, label: 'Require two-step verification' },
  two_factor_not_required: { ...security, label: 'Require two-step verification' },
  ip_whitelist_off: { ...security, label: 'Set up the IP whitelist' },
  ip_whitelist_report_only: { ...security, label: 'Review the IP whitelist' },
  failed_login_burst: { to: '/settings/activity?type=login_failed', label: 'Review failed logins' },
  too_many_administrators: { ...users, label: 'Review administrators' },
  export_rights_allowed: { ...users, label: 'Review export rights' },
  export_rights_team_wide: { ...users, label: 'Review export rights' },
  dormant_users: { ...users, label: 'Review dormant users' },
  deactivated_users_own_records: { ...users, label: 'Reassign their records' },
  session_new_country: { ...sessions, label: 'Review sessions' },
  idle_sessions: { ...sessions, label: 'End idle sessions' },
  unused_roles: { to: '/settings/roles', label: 'Review roles' },
};

export function findingLink(code: string): ConsoleLink {
  return byCode[code] ?? security;
}

export interface AffectedEntry {
  type: string;
  id: number | string;
  user_id?: number;
}

// The page about one affected entry: a user's matrix, a role, the sessions, the login events
// of an email or address; null when there is nothing more specific than the finding's link.
export function affectedLink(entry: AffectedEntry): string | null {
  switch (entry.type) {
    case 'user':
      return `/settings/users/${entry.id}`;
    case 'role':
      return `/settings/roles/${entry.id}`;
    case 'session':
      return entry.user_id ? `/settings/users/${entry.user_id}` : '/settings/sessions';
    case 'account':
      return '/settings/security';
    case 'email':
    case 'address':
      return '/settings/activity?type=login_failed';
    default:
      return null;
  }
}

// Users named by the findings (as affected users, or as the owners of sessions and emails),
// each once, with the findings that name them; by name.
export function affectedUsers(
  findings: { code: string; title: string; affected: (AffectedEntry & { name: string })[] }[],
): { id: number; name: string; findings: string[] }[] {
  const users = new Map<number, { id: number; name: string; findings: string[] }>();
  for (const finding of findings) {
    for (const entry of finding.affected) {
      const id = entry.type === 'user' ? Number(entry.id) : entry.user_id;
      if (!id) continue;
      const user = users.get(id) ?? { id, name: entry.name, findings: [] };
      if (!user.findings.includes(finding.code)) user.findings.push(finding.code);
      users.set(id, user);
    }
  }
  return [...users.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}
