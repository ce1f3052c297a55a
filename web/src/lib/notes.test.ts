import { describe, expect, it } from 'vitest';
import { noteText, noteTypeLabel } from './notes';

describe('notes in words', () => {
  it('names the Kommo types', () => {
    expect(noteTypeLabel('common')).toBe('Note');
    expect(noteTypeLabel('call_out')).toBe('Outgoing call');
    expect(noteTypeLabel('something_new')).toBe('something_new');
  });

  it('shows each type’s text from its params', () => {
    expect(noteText({ note_type: 'common', params: { text: 'Called back' } })).toBe('Called back');
    expect(noteText({ note_type: 'call_in', params: { phone: '+1 555', duration: 125, call_result: 'Agreed' } })).toBe('+1 555 · 2:05 · Agreed');
    expect(noteText({ note_type: 'sms_out', params: { phone: '+1', text: 'Hi' } })).toBe('+1: Hi');
    expect(noteText({ note_type: 'geolocation', params: { text: 'Visit', address: 'Main St 1' } })).toBe('Visit — Main St 1');
    expect(noteText({ note_type: 'service_message', params: { service: 'Bot', text: 'Done' } })).toBe('Bot: Done');
    expect(noteText({ note_type: 'common', params: {} })).toBe('');
  });
});
