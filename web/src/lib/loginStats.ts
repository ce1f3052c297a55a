// The login chart's text alternative: totals and the busiest day, in one sentence.
export interface LoginDay {
  date: string;
  succeeded: number;
  failed: number;
}

export function loginSummary(days: LoginDay[]): string {
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return 'No login data.';
  const succeeded = days.reduce((n, d) => n + d.succeeded, 0);
  const failed = days.reduce((n, d) => n + d.failed, 0);
  const span = `${days.length} ${days.length === 1 ? 'day' : 'days'} (${first.date} to ${last.date}, UTC)`;
  let text = `Logins over the last ${span}: ${succeeded} successful, ${failed} failed.`;
  const worst = days.reduce((a, b) => (b.failed > a.failed ? b : a));
  if (worst.failed > 0) text += ` Most failures on ${worst.date}: ${worst.failed}.`;
  return text;
}
