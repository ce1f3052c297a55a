// The filter fields every record list shares: responsible users and the created / updated day
// ranges (each "to" day checked against its "from" by the list's own filterProblems).
import { Group, MultiSelect, TextInput } from '@mantine/core';

export interface ResponsibleAndDatesFilter {
  responsible: number[];
  createdFrom: string;
  createdTo: string;
  updatedFrom: string;
  updatedTo: string;
}

export function ResponsibleAndDates<F extends ResponsibleAndDatesFilter>({ filter, people, problems, onChange }: {
  filter: F;
  people: { id: number; name: string }[];
  problems: { createdTo?: string; updatedTo?: string };
  onChange: (filter: F) => void;
}) {
  return (
    <>
      <MultiSelect
        label="Responsible"
        placeholder={filter.responsible.length ? undefined : 'Anyone'}
        clearable
        searchable
        data={people.map((u) => ({ value: String(u.id), label: u.name }))}
        value={filter.responsible.map(String)}
        onChange={(values) => onChange({ ...filter, responsible: values.map(Number) })}
      />
      <Group grow gap="xs" align="flex-start">
        <TextInput
          label="Created from"
          type="date"
          value={filter.createdFrom}
          onChange={(e) => onChange({ ...filter, createdFrom: e.currentTarget.value })}
        />
        <TextInput
          label="Created to"
          type="date"
          value={filter.createdTo}
          error={problems.createdTo}
          onChange={(e) => onChange({ ...filter, createdTo: e.currentTarget.value })}
        />
      </Group>
      <Group grow gap="xs" align="flex-start">
        <TextInput
          label="Updated from"
          type="date"
          value={filter.updatedFrom}
          onChange={(e) => onChange({ ...filter, updatedFrom: e.currentTarget.value })}
        />
        <TextInput
          label="Updated to"
          type="date"
          value={filter.updatedTo}
          error={problems.updatedTo}
          onChange={(e) => onChange({ ...filter, updatedTo: e.currentTarget.value })}
        />
      </Group>
    </>
  );
}
