// Shapes of the security API's answers used by the sign-in and account pages.
// TODO(openapi): generated type — replace each with components['schemas'][…] once
// /api/v4/openapi.json describes these responses.

export interface TwoFactorState {
  enabled: boolean;
  pending: boolean;
  required: boolean;
  recovery_codes_left: number;
}

export interface TwoFactorEnrollment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export interface RecoveryCodesAnswer {
  recovery_codes: string[];
}

export interface SessionItem {
  id: string;
  user_id: number;
  device: string;
  ip: string;
  location: string;
  created_at: number;
  last_activity_at: number;
  current: boolean;
}

export interface SessionsPage {
  _page: number;
  _links: { next?: { href: string } };
  _embedded: { sessions: SessionItem[] };
}

export interface UserSummary {
  id: number;
  name: string;
  email: string;
}

export interface UsersPage {
  _links: { next?: { href: string } };
  _embedded: { users: UserSummary[] };
}
