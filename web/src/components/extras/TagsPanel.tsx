// A record's tags: shown to whoever may view the record; edited (picked from the kind's catalog,
// or typed: a new name is created in the catalog on save) by whoever may edit it. One PATCH with
// tags_to_add / tags_to_delete.
import { Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, fieldErrors } from '../../api/problem';
import type { FieldKind } from '../../lib/customFields';
import { useTagCatalog } from '../../lib/extrasApi';
import { isEmptyEdit, tagEdit, tagNames, type Tag } from '../../lib/tags';
import { FormActions } from '../FormActions';
import { patchRecord, recordKeys } from './patchRecord';
import { Section } from '../records/Section';
import { TagList } from './TagList';

export function TagsPanel({ kind, id, tags, editable }: { kind: FieldKind; id: number; tags: Tag[]; editable: boolean }) {
  const queries = useQueryClient();
  const catalog = useTagCatalog(kind);
  // What the user typed, until saved; the record's tags otherwise. A save elsewhere on the page
  // (fields, the record's form) refreshes the record without discarding it.
  const [draft, setDraft] = useState<string[] | null>(null);
  const names = draft ?? tags.map((t) => t.name);
  const edit = tagEdit(tags, names, catalog.data ?? []);
  const save = useMutation({
    mutationFn: () => patchRecord(kind, id, edit),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Tags saved' });
      await Promise.all(recordKeys(kind, id).map((queryKey) => queries.invalidateQueries({ queryKey })));
      setDraft(null);
    },
  });
  const errors = save.error instanceof ApiError ? fieldErrors(save.error.problem) : {};
  const tagError = Object.entries(errors).find(([path]) => path.startsWith('tags_to_'))?.[1];
  return (
    <Section title="Tags">
      {!editable ? (
        tags.length === 0 ? (
          <Text size="sm" c="gray.7">
            No tags
          </Text>
        ) : (
          <TagList tags={tags} />
        )
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack gap="xs">
            <TagsInput
              label="Tags"
              description="Pick a tag or type a new one and press Enter"
              data={tagNames(catalog.data)}
              value={names}
              onChange={setDraft}
              clearable
              maxTags={100}
              error={tagError}
            />
            <FormActions
              error={save.isError && !tagError ? save.error.message : null}
              errorTitle="Tags not saved"
              busy={save.isPending}
              disabled={isEmptyEdit(edit)}
            />
          </Stack>
        </form>
      )}
    </Section>
  );
}
