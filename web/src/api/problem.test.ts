import { describe, expect, it, test } from 'vitest';
import { ApiError, fieldErrors, formRefusal, problemMessage } from './problem';

describe('problem+json', () => {
  it('prefers the detail, capitalised', () => {
    expect(problemMessage(400, { detail: 'name is too long', title: 'Bad Request' })).toBe('Name is too long');
    expect(problemMessage(404, { title: 'Not Found' })).toBe('Not Found');
    expect(problemMessage(502, {})).toBe('The server answered 502');
  });

  it('keys field errors by full path and by last segment', () => {
    const errors = fieldErrors({
      'validation-errors': [
        { request_id: '0', errors: [{ code: 'TooShort', path: 'new_password', detail: 'at least 10 characters' }] },
        { request_id: '1', errors: [{ code: 'Invalid', path: 'rights.leads.view' }] },
      ],
    });
    expect(errors['new_password']).toBe('at least 10 characters');
    expect(errors['rights.leads.view']).toBe('Invalid');
    expect(errors['view']).toBe('Invalid');
  });

  it('reads the problem kind and Retry-After', () => {
    const headers = new Headers({ 'Retry-After': '120' });
    const error = new ApiError(429, { type: 'https://gatehouse.dev/problems/locked-out' }, headers);
    expect(error.kind).toBe('locked-out');
    expect(error.retryAfter).toBe(120);
    expect(new ApiError(401, {}).retryAfter).toBeNull();
  });
});

describe('formRefusal', () => {
  const refused = new ApiError(400, {
    detail: 'the integration is invalid',
    'validation-errors': [{ errors: [{ path: 'redirect_uri', code: 'InvalidUri', detail: 'redirect_uri must be absolute' }] }],
  });
  test('a field the form shows carries the refusal', () => {
    expect(formRefusal(refused, ['name', 'redirect_uri'])).toEqual({ fields: { redirect_uri: 'redirect_uri must be absolute' }, form: null });
  });
  test('a refusal no shown field carries is said above the form', () => {
    expect(formRefusal(refused, ['name'])).toEqual({ fields: {}, form: 'The integration is invalid' });
    expect(formRefusal(new ApiError(403, { detail: 'enrol first' }), ['name'])).toEqual({ fields: {}, form: 'Enrol first' });
    expect(formRefusal(new Error('offline'), ['name'])).toEqual({ fields: {}, form: 'offline' });
  });
  test('no error, nothing to say', () => {
    expect(formRefusal(null, ['name'])).toEqual({ fields: {}, form: null });
  });
});
