import { expect, test } from 'vitest';
import { activeTokensLabel, integrationEndpoints } from './integrations';

test('the endpoints sit on the console origin, the client id encoded', () => {
  expect(integrationEndpoints('https://crm.example.com', 'a b&c')).toEqual({
    authorize: 'https://crm.example.com/oauth?client_id=a+b%26c&state=<state>',
    token: 'https://crm.example.com/oauth2/access_token',
    apiBase: 'https://crm.example.com/api/v4',
  });
});

test('active tokens in words', () => {
  expect(activeTokensLabel(0)).toBe('No active tokens');
  expect(activeTokensLabel(1)).toBe('1 active token');
  expect(activeTokensLabel(4)).toBe('4 active tokens');
});
