import { describe, expect, it } from 'vitest';
import { theme } from './theme';

describe('theme', () => {
  it('makes every Loader a status, so its aria-label is allowed and announced', () => {
    expect(theme.components?.Loader?.defaultProps).toMatchObject({ role: 'status' });
  });
});
