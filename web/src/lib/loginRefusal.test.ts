import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { formatWait, loginRefusal } from './loginRefusal';

const problem = (kind: string) => ({ type: `https://gatehouse.dev/problems/${kind}`, detail: 'x' });

describe('loginRefusal', () => {
  it('asks for a code when the server needs one', () => {
    expect(loginRefusal(new ApiError(401, problem('two-factor-required'))).askForCode).toBe(true);
    const wrong = loginRefusal(new ApiError(401, problem('two-factor-invalid')));
    expect(wrong.askForCode).toBe(true);
    expect(wrong.message).toMatch(/wrong or was already used/);
  });

  it('words a refused recovery code for recovery codes', () => {
    const used = loginRefusal(new ApiError(401, problem('two-factor-invalid')), true);
    expect(used.message).toMatch(/recovery code is wrong or was already used/);
    expect(used.message).not.toMatch(/next code/);
  });

  it('says the lock-out wait', () => {
    const locked = loginRefusal(new ApiError(429, { detail: 'too many' }, new Headers({ 'Retry-After': '900' })));
    expect(locked.message).toMatch(/15 minutes/);
  });

  it('names the whitelist and keeps wrong credentials vague', () => {
    expect(loginRefusal(new ApiError(403, problem('ip-not-allowed'))).message).toMatch(/IP whitelist/);
    expect(loginRefusal(new ApiError(401, { detail: 'invalid email or password' })).message).toBe('Wrong email or password.');
  });

  it('formats waits', () => {
    expect(formatWait(1)).toBe('1 second');
    expect(formatWait(59)).toBe('59 seconds');
    expect(formatWait(61)).toBe('2 minutes');
  });
});
