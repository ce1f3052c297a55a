// The contact and company lists' filters: search, responsible users, created and updated
// ranges, tags. Every change goes to the URL; typed text is committed after a short pause.
import { Button, Group, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { ResponsibleAndDates } from '../../components/records/ResponsibleAndDates';
import { TagFilter } from '../../components/extras/TagFilter';
import { useEffect, useState } from 'react';
import type { Person } from '../../lib/recordsApi';
import {
  emptyRecordsFilter,
  hasRecordsFilters,
  recordsFilterProblems,
  type RecordsFilter,
} from '../../lib/recordsQuery';

interface Props {
  label: string; // "Filter contacts"
  filter: RecordsFilter;
  people: Person[];
  onChange: (filter: RecordsFilter) => void;
  tagKind?: 'contacts' | 'companies' | 'customers'; // the tag filter, for lists whose API has one
}

export function RecordsFilters({ label, filter, people, onChange, tagKind }: Props) {
  const [query, setQuery] = useState(filter.query);
  // The URL may change under the input (back button, "Clear filters"): follow it.
  useEffect(() => setQuery((text) => (text.trim() === filter.query ? text : filter.query)), [filter.query]);
  const commitQuery = useDebouncedCallback((text: string) => onChange({ ...filter, query: text.trim() }), 350);
  const problems = recordsFilterProblems(filter);
  return (
    <form role="search" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
        <TextInput
          label="Search"
          placeholder="Name contains…"
          type="search"
          value={query}
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            commitQuery(e.currentTarget.value);
          }}
        />
        <ResponsibleAndDates filter={filter} people={people} problems={problems} onChange={onChange} />
        {tagKind && <TagFilter kind={tagKind} value={filter.tags} onChange={(tags) => onChange({ ...filter, tags })} />}
        <Group align="flex-end">
          <Button variant="default" disabled={!hasRecordsFilters(filter)} onClick={() => onChange(emptyRecordsFilter)}>
            Clear filters
          </Button>
        </Group>
      </SimpleGrid>
    </form>
  );
}
