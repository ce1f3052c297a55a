// The users and roles pages' names for the generated API types; the ones the other settings
// pages share come from adminApi.ts, so each schema has one alias.
import type { components } from '../api/schema';

export type {
  Group as GroupItem,
  Pipeline as PipelineItem,
  SecurityPolicy as PolicyView,
  UserSummary as UserItem,
} from './adminApi';

type Schemas = components['schemas'];

export type UsersPage = Schemas['UsersPage'];
export type RoleItem = Schemas['Role'];
export type RolesPage = Schemas['RolesPage'];
