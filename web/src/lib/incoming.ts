// Incoming leads as the Incoming leads page shows them (docs/api.md, incoming leads): what
// channel an item came in on, and for a call (category sip) the call its metadata keeps
// (uniq, phone, called_at, duration, service_code, link, from) rather than a form's fields.
import type { components } from '../api/schema';
import { formatDuration, formatSpan } from './format';

type Incoming = Pick<components['schemas']['IncomingLead'], 'category' | 'metadata' | 'source_name' | 'uid' | '_embedded'>;

const categoryLabels: Record<Incoming['category'], string> = {
  sip: 'call',
  forms: 'web form',
  mail: 'email',
  chats: 'chat',
};

// The channel in words: "call", "web form", "email", "chat".
export function incomingCategoryLabel(category: Incoming['category']): string {
  return categoryLabels[category] ?? category;
}

export interface IncomingCall {
  phone: string;
  duration: string; // m:ss
  link?: string;
}

// The call a sip item keeps, or null for any other item (or metadata not shaped as a call).
export function incomingCall(item: Pick<Incoming, 'category' | 'metadata'>): IncomingCall | null {
  if (item.category !== 'sip' || !item.metadata) return null;
  const { phone, duration, link } = item.metadata as Record<string, unknown>;
  if (typeof phone !== 'string' || typeof duration !== 'number') return null;
  const call: IncomingCall = { phone, duration: formatDuration(duration) };
  if (typeof link === 'string' && /^https?:\/\//.test(link)) call.link = link;
  return call;
}

// How the page names an item: the proposed lead's name, else for a call who called, else
// where it came from.
export function incomingName(item: Incoming): string {
  const call = incomingCall(item);
  return item._embedded.leads[0]?.name || (call ? `Call from ${call.phone}` : '') || item.source_name || item.uid;
}

// The summary line above the list (GET /api/v4/leads/unsorted/summary): "12 incoming · 3
// accepted · 1 declined · average sorting time 2 h 15 min"; the time is "—" until one is decided,
// since the server's 0 then means "none" rather than "instantly".
export function incomingSummaryLine(
  summary: Pick<components['schemas']['IncomingSummary'], 'total' | 'accepted' | 'declined' | 'average_sort_time'>,
): string {
  const decided = summary.accepted + summary.declined;
  const time = decided > 0 ? formatSpan(summary.average_sort_time) : '—';
  return `${summary.total} incoming · ${summary.accepted} accepted · ${summary.declined} declined · average sorting time ${time}`;
}
