// The security API's shapes used by the account pages, generated from the server's
// /api/v4/openapi.json (src/api/schema.d.ts).
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type TwoFactorEnrollment = Schemas['TwoFactorEnrollment'];
export type SessionItem = Schemas['Session'];
export type UserSummary = Schemas['User'];
