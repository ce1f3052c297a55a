// API tokens as the console shows them: how long a new personal token lives, what kind a token
// is in words, and the order of the list. The server bounds expiry to 1 day .. 5 years
// (docs/api.md "Personal tokens"); the choices stay inside it.
import { formatDateTime, formatRelative } from './sessionsView';

export interface TokenLike {
  id: number;
  name: string;
  kind: 'long_lived' | 'oauth_access';
  integration_id?: number;
  created_at: number;
  expires_at: number;
  last_used_at: number;
}

export const expiryChoices = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '1825', label: '5 years' },
];
export const defaultExpiryDays = '90';

// The unix time `days` days from `nowMs`.
export function expiresAtFor(days: number, nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000) + days * 86400;
}

// "Personal", or the integration the token was issued to ("Integration: Mailer"; its id when the
// name is not known to the caller).
export function tokenKindLabel(token: TokenLike, integrationName?: (id: number) => string | undefined): string {
  if (token.kind === 'long_lived') return 'Personal';
  const id = token.integration_id ?? 0;
  return `Integration: ${integrationName?.(id) ?? `#${id}`}`;
}

export function lastUsedLabel(token: TokenLike, nowMs: number = Date.now()): string {
  return token.last_used_at === 0 ? 'Never' : formatRelative(token.last_used_at, nowMs);
}

export function expiresLabel(token: TokenLike): string {
  return formatDateTime(token.expires_at);
}

// Personal tokens first (the ones people manage by hand), then newest first.
export function sortTokens<T extends TokenLike>(tokens: T[]): T[] {
  return [...tokens].sort(
    (a, b) => Number(a.kind !== 'long_lived') - Number(b.kind !== 'long_lived') || b.created_at - a.created_at || b.id - a.id,
  );
}

// How a script sends the token: the header Kommo's clients use, against this server's API.
export function bearerExample(origin: string): string {
  return `curl -H "Authorization: Bearer <token>" ${origin}/api/v4/account`;
}
