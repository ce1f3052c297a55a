import { describe, expect, it } from 'vitest';
import { linkTargets, targetLabel } from './links';

describe('link targets', () => {
  it('links leads to contacts and companies, and those to leads only', () => {
    expect(linkTargets('leads')).toEqual(['contacts', 'companies']);
    expect(linkTargets('contacts')).toEqual(['leads']);
    expect(linkTargets('companies')).toEqual(['leads']);
    expect(targetLabel('companies')).toBe('Company');
    expect(targetLabel('companies', true)).toBe('Companies');
  });
});
