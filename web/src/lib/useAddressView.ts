// A list page's view (filters, sort, page, limit) kept in the address, so that a reload or a
// shared link shows the same list.
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

// Returns the view of the current address, the address's query (`search`) and `change`, which
// applies an edit to the view and navigates to it (`replace` for edits that should not add a
// history entry, such as typing in a filter). Each edit starts from the address as it is now, not from the render's view: the
// address changes before React renders it, so a second click that lands in between (a column
// header clicked twice to sort descending) would otherwise start from the same view as the first
// and be lost. `parse` and `serialize` must be module-level functions (stable identities).
export function useAddressView<V>(
  parse: (search: URLSearchParams) => V,
  serialize: (view: V) => URLSearchParams,
): {
  view: V;
  search: URLSearchParams;
  change: (edit: (current: V) => V, replace?: boolean) => void;
} {
  const [search, setSearch] = useSearchParams();
  const view = useMemo(() => parse(search), [parse, search]);
  const change = (edit: (current: V) => V, replace = false) =>
    setSearch(serialize(edit(parse(new URLSearchParams(window.location.search)))), { replace });
  return { view, search, change };
}
