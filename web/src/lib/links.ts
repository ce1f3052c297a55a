// Which records a record may be linked to (docs/api.md, Links: leads to contacts and companies;
// contacts and companies to leads, a contact and a company being linked through leads), and
// their names in words.
export type LinkKind = 'leads' | 'contacts' | 'companies';

export function linkTargets(kind: LinkKind): LinkKind[] {
  return kind === 'leads' ? ['contacts', 'companies'] : ['leads'];
}

const labels: Record<LinkKind | 'customers', [string, string]> = {
  leads: ['Lead', 'Leads'],
  contacts: ['Contact', 'Contacts'],
  companies: ['Company', 'Companies'],
  customers: ['Customer', 'Customers'],
};

export function targetLabel(kind: LinkKind | 'customers', plural = false): string {
  return labels[kind][plural ? 1 : 0];
}
