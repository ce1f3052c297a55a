// The hash chain's verification (GET /api/v4/security/audit/verify) in one sentence.
export interface ChainReportLike {
  intact: boolean;
  events_checked: number;
  unchained_events: number;
  first_break: null | { seq: number; event_id: string | null; reason: string };
}

export function chainVerdict(report: ChainReportLike): string {
  if (report.first_break) {
    return `Broken at entry ${report.first_break.seq}: ${report.first_break.reason}.`;
  }
  const n = report.events_checked;
  let text = `Verified: the chain is intact (${n} ${n === 1 ? 'entry' : 'entries'} checked).`;
  if (report.unchained_events > 0) text += ` ${report.unchained_events} older entries predate the chain.`;
  return text;
}
