import { describe, expect, it } from 'vitest';
import { requiredChangeError, requiredWholeNumber, wholeNumber } from './wholeNumber';

describe('wholeNumber', () => {
  it('takes a whole number as typed, spaces of the thousands included', () => {
    expect(wholeNumber(-50)).toEqual({ value: -50 });
    expect(wholeNumber('1 000')).toEqual({ value: 1000 });
  });
  it('treats an empty input as not given and refuses anything else', () => {
    expect(wholeNumber('')).toEqual({});
    expect(wholeNumber('1.5')).toEqual({ error: 'Enter a whole number' });
    expect(wholeNumber('abc')).toEqual({ error: 'Enter a whole number' });
  });
  it('refuses an empty required input with its own message', () => {
    expect(requiredWholeNumber('', 'Enter an amount')).toEqual({ error: 'Enter an amount' });
    expect(requiredWholeNumber('2.5', 'Enter an amount')).toEqual({ error: 'Enter an amount' });
    expect(requiredWholeNumber('0', 'Enter an amount')).toEqual({ value: 0 });
  });
  it('checks a required change only when the value changed', () => {
    expect(requiredChangeError(undefined, 'Enter an amount')).toBeNull();
    expect(requiredChangeError('', 'Enter an amount')).toBe('Enter an amount');
    expect(requiredChangeError('1 000', 'Enter an amount')).toBeNull();
    expect(requiredChangeError(7, 'Enter an amount')).toBeNull();
  });
});
