// Small display formats shared by the settings pages.

// A last-login time (unix seconds, null or 0 when never) as "3 Dec 2026, 11:42".
export function formatLastLogin(seconds: number | null | undefined): string {
  if (!seconds) return 'Never';
  return new Date(seconds * 1000).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
