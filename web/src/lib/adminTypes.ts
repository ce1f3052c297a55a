// Narrow views of the admin API's answers used by the users and roles pages, until the OpenAPI
// document describes them (the openapi branch adds component schemas for every route).
import type { ApiRights } from './rights';

// TODO(openapi): generated type
export interface UserItem {
  id: number;
  name: string;
  email: string;
  rights?: ApiRights;
  two_factor_enabled?: boolean;
  last_login_at?: number | null;
  _embedded?: { roles?: { id: number; name: string }[]; groups?: { id: number; name: string }[] };
}

// TODO(openapi): generated type
export interface UsersPage {
  _page_count?: number;
  _embedded?: { users?: UserItem[] };
}

// TODO(openapi): generated type
export interface RoleItem {
  id: number;
  name: string;
  rights?: ApiRights;
  _embedded?: { users?: { id: number }[] };
}

// TODO(openapi): generated type
export interface RolesPage {
  _page_count?: number;
  _embedded?: { roles?: RoleItem[] };
}

// TODO(openapi): generated type
export interface GroupItem {
  id: number;
  name: string;
}

// TODO(openapi): generated type
export interface PipelineItem {
  id: number;
  name: string;
  _embedded?: { statuses?: { id: number; name: string; sort?: number }[] };
}

// TODO(openapi): generated type
export interface PolicyView {
  seats: number;
  seats_used?: number;
}
