// The two ends of every record list's filters: the name search, whose typed text is committed
// after a short pause so each keystroke is not a request, and "Clear filters".
import { Button, Group, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';

// `query`: the search the list shows (from the URL); `onCommit` gets the typed text, trimmed.
export function SearchFilter({ query, onCommit }: { query: string; onCommit: (query: string) => void }) {
  const [text, setText] = useState(query);
  // The URL may change under the input (back button, "Clear filters"): follow it, but leave what
  // is being typed alone when it already says the same (a trailing space).
  useEffect(() => setText((typed) => (typed.trim() === query ? typed : query)), [query]);
  const commit = useDebouncedCallback((typed: string) => onCommit(typed.trim()), 350);
  return (
    <TextInput
      label="Search"
      placeholder="Name contains…"
      type="search"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
    />
  );
}

export function ClearFilters({ disabled, onClear }: { disabled: boolean; onClear: () => void }) {
  return (
    <Group align="flex-end">
      <Button variant="default" disabled={disabled} onClick={onClear}>
        Clear filters
      </Button>
    </Group>
  );
}
