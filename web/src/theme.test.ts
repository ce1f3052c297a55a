import { describe, expect, it } from 'vitest';
import { theme } from './theme';

describe('theme', () => {
  it('makes every Loader a status, so its aria-label is allowed and announced', () => {
    expect(theme.components?.Loader?.defaultProps).toMatchObject({ role: 'status' });
  });

  it('names the close buttons of every dialog and notification', () => {
    expect(theme.components?.Modal?.defaultProps).toMatchObject({ closeButtonProps: { 'aria-label': 'Close' } });
    expect(theme.components?.Drawer?.defaultProps).toMatchObject({ closeButtonProps: { 'aria-label': 'Close' } });
    expect(theme.components?.Notification?.defaultProps).toMatchObject({ closeButtonProps: { 'aria-label': 'Dismiss' } });
  });

  it('keeps menus free of the focus placeholder that is no menu item', () => {
    expect(theme.components?.Menu?.defaultProps).toMatchObject({ withInitialFocusPlaceholder: false });
  });

  it('makes the scrolling option list of every picker reachable from the keyboard', () => {
    for (const name of ['Select', 'MultiSelect', 'Autocomplete', 'TagsInput']) {
      expect(theme.components?.[name]?.defaultProps).toMatchObject({ scrollAreaProps: { viewportProps: { tabIndex: 0, role: 'group' } } });
    }
  });
});
