// Kommo's list filters that matter: search, pipeline, stages, responsible users, created and
// updated ranges, price range. Every change goes to the URL (the page reads its state from
// there); typed text is committed after a short pause so each keystroke is not a request.
import { TagFilter } from '../../components/extras/TagFilter';
import { Group, MultiSelect, NumberInput, Select, SimpleGrid } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { ResponsibleAndDates } from '../../components/records/ResponsibleAndDates';
import { ClearFilters, SearchFilter } from '../../components/records/SearchFilter';
import { useEffect, useState } from 'react';
import type { Pipeline, User } from '../../lib/leadsApi';
import { emptyFilter, filterProblems, hasFilters, type LeadsFilter } from '../../lib/leadsQuery';

interface Props {
  filter: LeadsFilter;
  pipelines: Pipeline[];
  users: User[];
  onChange: (filter: LeadsFilter) => void;
}

function priceValue(value: string | number): number | null {
  if (value === '' || typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  return Math.floor(value);
}

export function LeadsFilters({ filter, pipelines, users, onChange }: Props) {
  const [priceFrom, setPriceFrom] = useState<string | number>(filter.priceFrom ?? '');
  const [priceTo, setPriceTo] = useState<string | number>(filter.priceTo ?? '');
  // The URL may change under the inputs (back button, "Clear filters"): follow it, but leave
  // what is being typed alone when it already says the same ("1 0").
  useEffect(
    () => setPriceFrom((value) => (priceValue(value) === filter.priceFrom ? value : (filter.priceFrom ?? ''))),
    [filter.priceFrom],
  );
  useEffect(
    () => setPriceTo((value) => (priceValue(value) === filter.priceTo ? value : (filter.priceTo ?? ''))),
    [filter.priceTo],
  );

  const commitPrice = useDebouncedCallback(
    (from: string | number, to: string | number) =>
      onChange({ ...filter, priceFrom: priceValue(from), priceTo: priceValue(to) }),
    500,
  );
  const problems = filterProblems(filter);

  const stageOptions = pipelines
    .filter((p) => filter.pipelineId === null || p.id === filter.pipelineId)
    .map((p) => ({
      group: p.name,
      items: p._embedded.statuses.map((s) => ({
        value: `${p.id}.${s.id}`,
        label: filter.pipelineId === null ? `${p.name} / ${s.name}` : s.name,
      })),
    }));

  return (
    <form role="search" aria-label="Filter leads" onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
        <SearchFilter query={filter.query} onCommit={(query) => onChange({ ...filter, query })} />
        <Select
          label="Pipeline"
          placeholder="All pipelines"
          clearable
          data={pipelines.map((p) => ({ value: String(p.id), label: p.name }))}
          value={filter.pipelineId === null ? null : String(filter.pipelineId)}
          onChange={(value) => {
            const pipelineId = value === null ? null : Number(value);
            // Stages of another pipeline would make the filter match nothing: drop them.
            const stages = pipelineId === null ? filter.stages : filter.stages.filter((s) => s.pipelineId === pipelineId);
            onChange({ ...filter, pipelineId, stages });
          }}
        />
        <MultiSelect
          label="Stage"
          placeholder={filter.stages.length ? undefined : 'Any stage'}
          clearable
          searchable
          data={stageOptions}
          value={filter.stages.map((s) => `${s.pipelineId}.${s.statusId}`)}
          onChange={(values) =>
            onChange({
              ...filter,
              stages: values.map((v) => {
                const [p, s] = v.split('.').map(Number) as [number, number];
                return { pipelineId: p, statusId: s };
              }),
            })
          }
        />
        <ResponsibleAndDates filter={filter} people={users} problems={problems} onChange={onChange} />
        <TagFilter kind="leads" value={filter.tags} onChange={(tags) => onChange({ ...filter, tags })} />
        <Group grow gap="xs" align="flex-start">
          <NumberInput
            label="Price from"
            min={0}
            allowNegative={false}
            allowDecimal={false}
            thousandSeparator=" "
            value={priceFrom}
            onChange={(value) => {
              setPriceFrom(value);
              commitPrice(value, priceTo);
            }}
          />
          <NumberInput
            label="Price to"
            min={0}
            allowNegative={false}
            allowDecimal={false}
            thousandSeparator=" "
            value={priceTo}
            error={problems.priceTo}
            onChange={(value) => {
              setPriceTo(value);
              commitPrice(priceFrom, value);
            }}
          />
        </Group>
        <ClearFilters disabled={!hasFilters(filter)} onClear={() => onChange(emptyFilter)} />
      </SimpleGrid>
    </form>
  );
}
