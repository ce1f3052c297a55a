// For tests: a whole rights object as the API answers it — every data set denied, no extra
// access, group 0, no role — with what a test is about set over it.
import type { components } from '../api/schema';

type UserRights = components['schemas']['UserRights'];

const denied = { view: 'D', add: 'D', edit: 'D', delete: 'D', export: 'D' } as const;

export function userRights(over: Partial<UserRights> = {}): UserRights {
  return {
    leads: denied,
    contacts: denied,
    companies: denied,
    tasks: { view: 'D', edit: 'D', delete: 'D' },
    incoming_leads: { view: 'D', accept: 'D', decline: 'D' },
    status_rights: [],
    catalog_access: false,
    catalog_rights: null,
    custom_fields_rights: null,
    files_access: false,
    mail_access: false,
    oper_day_reports_view_access: false,
    oper_day_user_tracking: false,
    is_active: true,
    is_admin: false,
    is_free: false,
    group_id: 0,
    role_id: null,
    ...over,
  };
}
