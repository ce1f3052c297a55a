// The admin API's answers used by the users and roles pages: the types generated from the
// server's OpenAPI document (src/api/schema.d.ts), named for the pages.
import type { components } from '../api/schema';

type Schemas = components['schemas'];

export type UserItem = Schemas['User'];
export type UsersPage = Schemas['UsersPage'];
export type RoleItem = Schemas['Role'];
export type RolesPage = Schemas['RolesPage'];
export type GroupItem = Schemas['Group'];
export type PipelineItem = Schemas['Pipeline'];
export type PolicyView = Schemas['SecurityPolicy'];
