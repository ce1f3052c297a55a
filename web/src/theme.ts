import {
  createTheme,
  type AutocompleteProps,
  type CSSVariablesResolver,
  type DrawerProps,
  type LoaderProps,
  type MantineThemeComponent,
  type MenuProps,
  type ModalProps,
  type MultiSelectProps,
  type NotificationProps,
  type SelectProps,
  type TagsInputProps,
} from '@mantine/core';

// Default props of a component, typed by its props but written as a plain theme entry: the
// components' own `X.extend(...)` would import each component into the first page (every dialog
// and option list, ≈ 12 KiB gzip on /login; console_first_page_budget guards it).
function defaultsOf<Props>(defaultProps: Partial<Props>): MantineThemeComponent {
  return { defaultProps };
}

// The options' scroll viewport sits inside role="listbox"; a focusable element there must be one
// of the roles a listbox may hold (axe: aria-required-children), so it is the options' group.
const focusableOptions = { viewportProps: { tabIndex: 0, role: 'group' } };

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 keeps white text on filled buttons above WCAG AA contrast (4.5:1); 6 does not.
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  // People who ask their system for less motion get dialogs and menus without transitions.
  respectReducedMotion: true,
  components: {
    // A Loader is a bare <span>; ARIA forbids aria-label there (axe: aria-prohibited-attr), and a
    // screen reader should hear when the page is busy. Every loader is a status, named by its label.
    Loader: defaultsOf<LoaderProps>({ role: 'status' }),
    // Mantine's close buttons (the X of dialogs and notifications) hold only an icon and carry no
    // name of their own (axe: button-name, critical). Named here once, for every dialog and toast;
    // a caller that passes closeButtonProps names its button itself.
    Modal: defaultsOf<ModalProps>({ closeButtonProps: { 'aria-label': 'Close' } }),
    Drawer: defaultsOf<DrawerProps>({ closeButtonProps: { 'aria-label': 'Close' } }),
    Notification: defaultsOf<NotificationProps>({ closeButtonProps: { 'aria-label': 'Dismiss' } }),
    // A menu's dropdown (role="menu") would otherwise start with a focusable placeholder
    // <div role="presentation" tabindex="-1">, which is no menuitem (axe: aria-required-children,
    // critical). Without it, opening a menu focuses its first item, as the ARIA menu pattern asks.
    Menu: defaultsOf<MenuProps>({ withInitialFocusPlaceholder: false }),
    // A long option list scrolls; a scroll region must be reachable from the keyboard (axe:
    // scrollable-region-focusable, serious), so its viewport is focusable (a group of the
    // listbox: the only focusable role a listbox may hold besides options). It never takes focus
    // from the input by a click (the options prevent mousedown), and the arrow keys still move
    // through the options from the input.
    Select: defaultsOf<SelectProps>({ scrollAreaProps: focusableOptions }),
    MultiSelect: defaultsOf<MultiSelectProps>({ scrollAreaProps: focusableOptions }),
    Autocomplete: defaultsOf<AutocompleteProps>({ scrollAreaProps: focusableOptions }),
    TagsInput: defaultsOf<TagsInputProps>({ scrollAreaProps: focusableOptions }),
  },
});

// WCAG AA contrast (4.5:1) for text Mantine draws too light in the light scheme (field errors too):
// - dimmed text (gray 6, 3.3:1 on white; gray 7 is ~8:1), used for hints and input descriptions;
// - the text of "light" alerts, badges and buttons (shade 9 on shade 1: yellow 2.6:1, orange
//   3.4:1, green 3.8:1, teal 4.2:1), darkened to ≥ 7:1 on their backgrounds.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Field errors (the message and the invalid input's text) in red 9 (~5.6:1), not red 6 (3.2:1).
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-yellow-light-color': '#6b4400',
    '--mantine-color-orange-light-color': '#8f3000',
    '--mantine-color-green-light-color': '#1b5e2a',
    '--mantine-color-teal-light-color': '#065c43',
    '--mantine-color-red-light-color': '#a51d1d',
  },
  dark: {},
});
