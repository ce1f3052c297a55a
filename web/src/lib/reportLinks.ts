// Where each security-report finding is fixed in the console, how (in the console's words: the
// report's own `fix` names API calls, for scripts and the CLI), and where each affected entry
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
  unused_api_tokens: { to: '/settings/integrations', label: 'Review API tokens' },
};

export function findingLink(code: string): ConsoleLink {
  return byCode[code] ?? security;
}

const exportRights =
  'Narrow the export right in the rights matrix of each user (Settings → Users) or of the role they hold (Settings → Roles).';

const fixByCode: Record<string, string> = {
  admins_without_two_factor:
    'Each of them turns on two-step verification on their Profile page; or switch on “Require two-step verification for everyone” in Settings → Security.',
  two_factor_not_required:
    'Switch on “Require two-step verification for everyone” in Settings → Security: users without it set it up at their next sign-in.',
  ip_whitelist_off:
    'Add your addresses under Settings → Security, IP whitelist, and switch on “Enable the IP whitelist”; “Report only” first shows who would be refused.',
  ip_whitelist_report_only:
    'Check who would be refused in the IP whitelist section of Settings → Security, then switch “Report only” off to enforce it.',
  failed_login_burst:
    'Review the failed logins in the activity log; lower “Failed logins before lock-out” in Settings → Security, or admit only known addresses with the IP whitelist.',
  too_many_administrators: 'Switch “Administrator” off on the page of each user who does not need it (Settings → Users).',
  export_rights_allowed: exportRights,
  export_rights_team_wide: exportRights,
  dormant_users:
    'Deactivate them in Settings → Users, or narrow their rights; “Dormant after (days)” in Settings → Security deactivates such users automatically.',
  deactivated_users_own_records:
    'Move their records to an active user: remove the user in Settings → Users and pick who gets the records, or change the responsible user of each record.',
  session_new_country: 'Check with the user that the session is theirs; end it in Settings → Sessions if it is not.',
  idle_sessions: 'End the sessions nobody uses any more in Settings → Sessions.',
  unused_roles: 'Delete the roles nobody holds in Settings → Roles, or give them to users.',
  unused_api_tokens: 'Revoke the tokens nobody uses any more in Settings → Integrations, under API tokens of the workspace.',
};

// How to fix a finding in the console; the report's own words for a code this console does not know.
export function findingFix(code: string, reportFix: string): string {
  return fixByCode[code] ?? reportFix;
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
    case 'token':
      return '/settings/integrations';
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
