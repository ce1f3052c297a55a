// Notes as a record page shows them: the Kommo type in words and the note's text by type
// (docs/api.md, Notes: every type's params).
import type { components } from '../api/schema';
import { formatDuration } from './format';

type Note = Pick<components['schemas']['Note'], 'note_type' | 'params'>;

const typeLabels: Record<string, string> = {
  common: 'Note',
  call_in: 'Incoming call',
  call_out: 'Outgoing call',
  service_message: 'Service message',
  extended_service_message: 'Service message',
  geolocation: 'Location',
  sms_in: 'Incoming SMS',
  sms_out: 'Outgoing SMS',
};

export function noteTypeLabel(type: string): string {
  return typeLabels[type] ?? type;
}

function param(note: Note, key: string): string {
  const value = (note.params as Record<string, unknown> | undefined)?.[key];
  return value === undefined || value === null ? '' : String(value);
}

export function noteText(note: Note): string {
  switch (note.note_type) {
    case 'call_in':
    case 'call_out': {
      const seconds = Number(param(note, 'duration')) || 0;
      const parts = [param(note, 'phone'), formatDuration(seconds)];
      const result = param(note, 'call_result');
      if (result) parts.push(result);
      return parts.filter(Boolean).join(' · ');
    }
    case 'sms_in':
    case 'sms_out':
      return [param(note, 'phone'), param(note, 'text')].filter(Boolean).join(': ');
    case 'geolocation':
      return [param(note, 'text'), param(note, 'address')].filter(Boolean).join(' — ');
    case 'service_message':
    case 'extended_service_message':
      return [param(note, 'service'), param(note, 'text')].filter(Boolean).join(': ');
    default:
      return param(note, 'text');
  }
}
