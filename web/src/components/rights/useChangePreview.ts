// A proposed change to one user or role, previewed by the server as it is edited: every edit
// posts the whole proposal to POST /api/v4/security/impact, whose answer carries the impact and
// the rights exactly as the save would store them (validated, normalized). Only the latest
// answer counts. Save sends the same proposal as the PATCH.
import { useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import { isPendingApproval } from '../../lib/approvals';
import type { ImpactReport } from '../../lib/impact';
import type { ApiRights } from '../../lib/rights';

export type Target = { kind: 'user'; id: number } | { kind: 'role'; id: number };

// The body of PATCH /api/v4/users/{id} or /api/v4/roles/{id} (the members that change).
export interface Proposal {
  rights?: ApiRights;
  role_id?: number | null;
  group_id?: number | null;
  is_admin?: boolean;
  name?: string;
}

export interface PreviewState {
  proposal: Proposal | null;
  report: ImpactReport | null;
  error: ApiError | Error | null;
  pending: boolean;
}

export function useChangePreview(target: Target) {
  const [state, setState] = useState<PreviewState>({ proposal: null, report: null, error: null, pending: false });
  const sequence = useRef(0);

  async function propose(proposal: Proposal | null) {
    const n = ++sequence.current;
    if (!proposal || Object.keys(proposal).length === 0) {
      setState({ proposal: null, report: null, error: null, pending: false });
      return;
    }
    setState((s) => ({ ...s, proposal, pending: true, error: null }));
    const key = target.kind === 'user' ? { user_id: target.id } : { role_id: target.id };
    try {
      const report = (await unwrap(
        api.POST('/api/v4/security/impact', { body: { ...proposal, ...key } as never }),
      )) as ImpactReport;
      if (n === sequence.current) setState({ proposal, report, error: null, pending: false });
    } catch (caught) {
      if (n !== sequence.current) return;
      const error = caught instanceof Error ? caught : new Error(String(caught));
      setState({ proposal, report: null, error, pending: false });
    }
  }

  // Resolves to true when four-eyes approval holds the change (202) instead of applying it.
  async function save(): Promise<boolean> {
    const proposal = state.proposal;
    if (!proposal) return false;
    let held = false;
    if (target.kind === 'user') {
      const answer = await unwrap(api.PATCH('/api/v4/users/{id}', { params: { path: { id: target.id } }, body: proposal as never }));
      held = isPendingApproval(answer);
    } else {
      await unwrap(api.PATCH('/api/v4/roles/{id}', { params: { path: { id: target.id } }, body: proposal as never }));
    }
    sequence.current++;
    setState({ proposal: null, report: null, error: null, pending: false });
    return held;
  }

  return { ...state, propose, save, reset: () => void propose(null) };
}
