// Four-eyes approval requests (GET /api/v4/security/approvals): how a request reads to a person
// and who may decide it. The calls are in adminApi.ts.
import type { components } from '../api/schema';

export type Approval = components['schemas']['Approval'];
export type ApprovalPending = components['schemas']['ApprovalPending'];

// A change answered 202: stored for a second administrator, nothing applied.
export function isPendingApproval(body: unknown): body is ApprovalPending {
  return typeof body === 'object' && body !== null && 'approval_id' in body && (body as { status?: unknown }).status === 'pending';
}

const policyLabels: Record<string, string> = {
  require_two_factor: 'two-step verification required',
  session_idle_minutes: 'session idle timeout (minutes)',
  session_max_hours: 'session maximum lifetime (hours)',
  lockout_threshold: 'failed logins before lock-out',
  lockout_minutes: 'lock-out duration (minutes)',
  dormant_days: 'dormant after (days)',
  four_eyes: 'four-eyes approval',
  seats: 'paid seats',
  trusted_proxies: 'trusted proxies',
};

function shown(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}

// One line saying what approving would do, e.g. "Security policy: four-eyes approval off".
export function describeApproval(approval: Approval, userName: (id: number) => string): string {
  const change = (approval.change ?? {}) as Record<string, unknown>;
  switch (approval.kind) {
    case 'ip_whitelist': {
      const entries = Array.isArray(change.entries) ? (change.entries as { value: string }[]).map((e) => e.value) : [];
      if (!change.enabled) return 'IP whitelist: turn it off';
      const mode = change.report_only ? 'report only' : change.block_api ? 'enforced, API included' : 'enforced';
      return `IP whitelist (${mode}): ${entries.length ? entries.join(', ') : 'no addresses'}`;
    }
    case 'security_policy':
      return `Security policy: ${Object.entries(change)
        .map(([key, value]) => `${policyLabels[key] ?? key} ${shown(value)}`)
        .join('; ')}`;
    case 'admin_grant':
      return `Administrator rights for ${approval.user_id ? userName(approval.user_id) : 'a user'}`;
    default:
      return approval.kind;
  }
}

// Whether `me` may approve or reject: pending, and someone else's request.
export function canDecide(approval: Approval, me: number): boolean {
  return approval.status === 'pending' && approval.requested_by !== me;
}
