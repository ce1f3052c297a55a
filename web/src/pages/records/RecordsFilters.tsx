// The contact and company lists' filters: search, responsible users, created and updated
// ranges, tags. Every change goes to the URL; typed text is committed after a short pause.
import { SimpleGrid } from '@mantine/core';
import { ResponsibleAndDates } from '../../components/records/ResponsibleAndDates';
import { ClearFilters, SearchFilter } from '../../components/records/SearchFilter';
import { TagFilter } from '../../components/extras/TagFilter';
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
  const problems = recordsFilterProblems(filter);
  return (
    <form role="search" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
        <SearchFilter query={filter.query} onCommit={(query) => onChange({ ...filter, query })} />
        <ResponsibleAndDates filter={filter} people={people} problems={problems} onChange={onChange} />
        {tagKind && <TagFilter kind={tagKind} value={filter.tags} onChange={(tags) => onChange({ ...filter, tags })} />}
        <ClearFilters disabled={!hasRecordsFilters(filter)} onClear={() => onChange(emptyRecordsFilter)} />
      </SimpleGrid>
    </form>
  );
}
