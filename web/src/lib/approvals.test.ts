import { describe, expect, it } from 'vitest';
import { canDecide, describeApproval, isPendingApproval, type Approval } from './approvals';

const base: Approval = {
  id: 7,
  kind: 'security_policy',
  status: 'pending',
  change: { four_eyes: false, lockout_threshold: 5 },
  user_id: null,
  requested_by: 1,
  requested_at: 0,
  expires_at: 259200,
  decided_by: null,
  decided_at: null,
  _links: { self: { href: '/api/v4/security/approvals/7' } },
};
const names = (id: number) => (id === 3 ? 'Dana' : `user ${id}`);

describe('approvals', () => {
  it('recognizes a 202 answer and nothing else', () => {
    expect(isPendingApproval({ approval_id: 7, status: 'pending' })).toBe(true);
    expect(isPendingApproval({ four_eyes: true })).toBe(false);
    expect(isPendingApproval(null)).toBe(false);
  });

  it('says what approving would do', () => {
    expect(describeApproval(base, names)).toBe('Security policy: four-eyes approval off; failed logins before lock-out 5');
    expect(describeApproval({ ...base, kind: 'admin_grant', change: { is_admin: true }, user_id: 3 }, names)).toBe(
      'Administrator rights for Dana',
    );
    const whitelist = { enabled: true, block_api: false, report_only: false, entries: [{ value: '10.0.0.0/8', note: '' }] };
    expect(describeApproval({ ...base, kind: 'ip_whitelist', change: whitelist }, names)).toBe('IP whitelist (enforced): 10.0.0.0/8');
    expect(describeApproval({ ...base, kind: 'ip_whitelist', change: { ...whitelist, enabled: false } }, names)).toBe(
      'IP whitelist: turn it off',
    );
  });

  it('lets only another administrator decide a pending request', () => {
    expect(canDecide(base, 2)).toBe(true);
    expect(canDecide(base, 1)).toBe(false);
    expect(canDecide({ ...base, status: 'approved' }, 2)).toBe(false);
  });
});
