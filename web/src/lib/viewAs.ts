// "View as" rules that need no browser: which pages are browsed as the viewed user, and what the
// tab remembers between reloads (the viewed user's id only, in sessionStorage).

// Pages that stay the administrator's own while viewing as someone else: the settings, one's own
// profile (self-service security is refused while acting as another user), sign-in and 2FA
// enrolment. Every other page is part of the workspace and is viewed as the chosen user.
const ownPages = ['/settings', '/profile', '/login', '/enroll-2fa'];

export function isViewedPath(pathname: string): boolean {
  return !ownPages.some((own) => pathname === own || pathname.startsWith(own + '/'));
}

// The stored id, or null for anything that is not a positive integer.
export function parseViewAsId(raw: string | null | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,14}$/.test(raw)) return null;
  return Number(raw);
}
