// The one HTTP client of the console: openapi-fetch typed by the server's own OpenAPI document
// (schema.d.ts is generated at build time, never edited). Same-origin cookie session; every
// state-changing request carries the CSRF token the server derived from the session.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, type Problem } from './problem';

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called when a request made with a session comes back 401: the session expired or was ended.
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

// Set while an administrator views the workspace as another user (X-Context-User-ID). `applies`
// is asked at each request: the header goes only with requests of pages that are viewed as that
// user (lib/viewAs.ts decides which), so settings stay the administrator's own.
let contextUserId: number | null = null;
let contextApplies: () => boolean = () => true;
export function setContextUser(id: number | null, applies: () => boolean = () => true): void {
  contextUserId = id;
  contextApplies = applies;
}

// The user id a request made now would carry as X-Context-User-ID, or null.
export function activeContextUser(): number | null {
  return contextUserId !== null && contextApplies() ? contextUserId : null;
}

const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    const contextUser = activeContextUser();
    if (contextUser !== null && new URL(request.url).pathname.startsWith('/api/v4/')) {
      request.headers.set('X-Context-User-ID', String(contextUser));
    }
    return request;
  },
  onResponse({ response, request }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && path !== '/auth/login' && path !== '/auth/session') {
      onUnauthenticated?.();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(session);

// The data of an openapi-fetch result's success branch. Where the operation can answer 204 it
// includes undefined (openapi-fetch gives no data then), so callers must handle the empty answer.
type SuccessData<R> = R extends { data: infer D } ? D : never;

// Unwraps an openapi-fetch result: the data on success (undefined for 204), else an ApiError
// carrying the problem+json the server answered.
export async function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(
  call: Promise<R>,
): Promise<SuccessData<R>> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as Problem, response.headers);
  return data as SuccessData<R>;
}
