// One custom field as a form control, by type. `disabled` shows a field the user may view but not
// edit (the server would answer 403): the value stays readable, the control cannot change it.
import { ActionIcon, Button, Checkbox, Group, MultiSelect, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { Draft, FieldDef, MultitextItem } from '../../lib/customFields';

interface Props {
  def: FieldDef;
  value: Draft;
  disabled: boolean;
  error: string | undefined;
  onChange: (value: Draft) => void;
}

function MultitextInput({ def, value, disabled, error, onChange }: Props & { value: MultitextItem[] }) {
  const codes = (def.enums ?? []).map((e) => e.value);
  const rows = value.length > 0 ? value : [{ code: codes[0] ?? '', value: '' }];
  const set = (i: number, item: MultitextItem) => onChange(rows.map((r, j) => (j === i ? item : r)));
  return (
    <Stack gap={4} role="group" aria-label={def.name}>
      <Text size="sm" fw={500}>
        {def.name}
      </Text>
      {rows.map((row, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
          <Select
            aria-label={`${def.name} ${i + 1} kind`}
            data={codes}
            value={row.code}
            onChange={(code) => set(i, { ...row, code: code ?? row.code })}
            allowDeselect={false}
            disabled={disabled}
            w={110}
          />
          <TextInput
            aria-label={`${def.name} ${i + 1}`}
            value={row.value}
            onChange={(e) => set(i, { ...row, value: e.currentTarget.value })}
            disabled={disabled}
            style={{ flex: 1 }}
          />
          {!disabled && rows.length > 1 && (
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${def.name} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {!disabled && (
        <Group>
          <Button size="xs" variant="subtle" onClick={() => onChange([...rows, { code: codes[0] ?? '', value: '' }])}>
            Add {def.name}
          </Button>
        </Group>
      )}
      {error && (
        <Text size="xs" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

export function FieldInput(props: Props) {
  const { def, value, disabled, error, onChange } = props;
  const description = disabled ? 'Read-only for you' : undefined;
  const options = (def.enums ?? []).map((e) => ({ value: String(e.id), label: e.value }));
  const common = { label: def.name, disabled, error, description };
  switch (def.type) {
    case 'checkbox':
      return (
        <Checkbox
          label={def.name}
          description={description}
          checked={value === true}
          disabled={disabled}
          error={error}
          onChange={(e) => onChange(e.currentTarget.checked)}
          mt="lg"
        />
      );
    case 'select':
      return <Select {...common} data={options} value={(value as string) || null} onChange={(v) => onChange(v ?? '')} clearable />;
    case 'multiselect':
      return <MultiSelect {...common} data={options} value={value as string[]} onChange={onChange} clearable />;
    case 'multitext':
      return <MultitextInput {...props} value={value as MultitextItem[]} />;
    case 'textarea':
      return <Textarea {...common} value={value as string} onChange={(e) => onChange(e.currentTarget.value)} autosize minRows={2} />;
    case 'date':
      return <TextInput {...common} type="date" value={value as string} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'numeric':
    case 'price':
      return <TextInput {...common} inputMode="decimal" value={value as string} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'url':
      return <TextInput {...common} type="url" placeholder="https://" value={value as string} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      return <TextInput {...common} value={value as string} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}
