import { expect, test } from 'vitest';
import { bearerExample, expiresAtFor, expiryChoices, lastUsedLabel, sortTokens, tokenKindLabel, type TokenLike } from './apiTokens';

const token = (over: Partial<TokenLike>): TokenLike => ({
  id: 1,
  name: 'Script',
  kind: 'long_lived',
  created_at: 1_700_000_000,
  expires_at: 1_710_000_000,
  last_used_at: 0,
  ...over,
});

test('every expiry choice lies inside the server bounds (1 day to 5 years)', () => {
  const now = Date.UTC(2026, 11, 6);
  for (const choice of expiryChoices) {
    const at = expiresAtFor(Number(choice.value), now);
    expect(at - now / 1000).toBeGreaterThanOrEqual(86400);
    expect(at - now / 1000).toBeLessThanOrEqual(5 * 365 * 86400);
  }
  expect(expiresAtFor(30, now)).toBe(now / 1000 + 30 * 86400);
});

test('kinds in words, an integration by its name when known', () => {
  expect(tokenKindLabel(token({}))).toBe('Personal');
  const oauth = token({ kind: 'oauth_access', integration_id: 7 });
  expect(tokenKindLabel(oauth, (id) => (id === 7 ? 'Mailer' : undefined))).toBe('Integration: Mailer');
  expect(tokenKindLabel(oauth)).toBe('Integration: #7');
});

test('never used says so; a use says when', () => {
  expect(lastUsedLabel(token({}))).toBe('Never');
  expect(lastUsedLabel(token({ last_used_at: 1_700_000_000 }), 1_700_000_000_000 + 120_000)).toBe('2 minutes ago');
});

test('personal tokens first, then the newest', () => {
  const sorted = sortTokens([
    token({ id: 1, kind: 'oauth_access', created_at: 30 }),
    token({ id: 2, created_at: 10 }),
    token({ id: 3, created_at: 20 }),
  ]);
  expect(sorted.map((t) => t.id)).toEqual([3, 2, 1]);
});

test('the example names the bearer header and this server', () => {
  expect(bearerExample('https://crm.example.com')).toBe('curl -H "Authorization: Bearer <token>" https://crm.example.com/api/v4/account');
});
