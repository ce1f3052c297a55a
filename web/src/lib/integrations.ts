// What the developer of an OAuth integration needs from this server, in the shape Kommo's
// client libraries expect: the consent page to send users to, and the token endpoint on the
// same origin as the API (kommo-api-v4.md §16.1).

export interface IntegrationEndpoints {
  authorize: string;
  token: string;
  apiBase: string;
}

export function integrationEndpoints(origin: string, clientId: string): IntegrationEndpoints {
  // `<state>` stays readable: it is the placeholder the developer fills in.
  const query = new URLSearchParams({ client_id: clientId });
  return {
    authorize: `${origin}/oauth?${query.toString()}&state=<state>`,
    token: `${origin}/oauth2/access_token`,
    apiBase: `${origin}/api/v4`,
  };
}

// "3 active tokens", "No active tokens".
export function activeTokensLabel(count: number): string {
  if (count === 0) return 'No active tokens';
  return `${count} active token${count === 1 ? '' : 's'}`;
}
