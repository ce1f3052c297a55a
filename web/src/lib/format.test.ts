import { describe, expect, it } from 'vitest';
import { formatSpan } from './format';

describe('a span of time in words', () => {
  it('names its largest unit and the next one, rounded down', () => {
    expect(formatSpan(8100)).toBe('2 h 15 min');
    expect(formatSpan(34521)).toBe('9 h 35 min');
    expect(formatSpan(90)).toBe('1 min 30 s');
    expect(formatSpan(200000)).toBe('2 d 7 h');
  });

  it('leaves out a next unit of zero', () => {
    expect(formatSpan(7200)).toBe('2 h');
    expect(formatSpan(7259)).toBe('2 h');
    expect(formatSpan(86400 + 59)).toBe('1 d');
    expect(formatSpan(60)).toBe('1 min');
  });

  it('reads seconds alone, and nothing below zero', () => {
    expect(formatSpan(45)).toBe('45 s');
    expect(formatSpan(45.9)).toBe('45 s');
    expect(formatSpan(0)).toBe('0 s');
    expect(formatSpan(-5)).toBe('0 s');
  });
});
