// A record's notes, newest first, with their Kommo type. Whoever may edit the record adds a
// common note and edits the common notes they wrote themselves (the server asks edit on the
// record for both, and keeps a note on its record).
import { Alert, Badge, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import type { FieldKind } from '../../lib/customFields';
import { kindPath, useNotes, type Note } from '../../lib/extrasApi';
import { formatTime } from '../../lib/format';
import { noteText, noteTypeLabel } from '../../lib/notes';
import { Section } from '../records/Section';

interface Props {
  kind: FieldKind;
  id: number;
  editable: boolean;
  userId: number; // the effective user: their own common notes are editable
  userName: (id: number) => string;
}

function useNoteWrite(kind: FieldKind, id: number, onDone: () => void) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ noteId, text }: { noteId: number | null; text: string }): Promise<void> => {
      const path = { entity_id: id };
      const params = { text };
      if (noteId === null) {
        await unwrap(
          api.POST(kindPath(kind, '/api/v4/leads/{entity_id}/notes'), {
            params: { path },
            body: [{ note_type: 'common', params }],
          }),
        );
        return;
      }
      await unwrap(
        api.PATCH(kindPath(kind, '/api/v4/leads/{entity_id}/notes/{id}'), {
          params: { path: { ...path, id: noteId } },
          body: { params },
        }),
      );
    },
    onSuccess: async (_data, { noteId }) => {
      onDone();
      notifications.show({ color: 'green', message: noteId === null ? 'Note added' : 'Note saved' });
      await Promise.all([queries.invalidateQueries({ queryKey: ['notes', kind, id] }), queries.invalidateQueries({ queryKey: ['events'] })]);
    },
  });
}

function textError(error: Error | null): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const errors = fieldErrors(error.problem);
  return errors.text ?? errors['params.text'] ?? error.message;
}

function NoteItem({ kind, id, note, mayEdit, userName }: { kind: FieldKind; id: number; note: Note; mayEdit: boolean; userName: (id: number) => string }) {
  const [editing, setEditing] = useState<string | null>(null);
  const write = useNoteWrite(kind, id, () => setEditing(null));
  return (
    <Stack component="li" gap={4} data-note-id={note.id}>
      <Group gap="xs">
        <Badge variant="outline" color="dark" radius="sm" styles={{ root: { textTransform: 'none' } }}>
          {noteTypeLabel(note.note_type)}
        </Badge>
        <Text size="xs" c="gray.7">
          {formatTime(note.created_at)} by {userName(note.created_by)}
          {note.updated_at !== note.created_at ? ` · edited ${formatTime(note.updated_at)}` : ''}
        </Text>
        {mayEdit && editing === null && (
          <Button size="compact-xs" variant="subtle" aria-label={`Edit note ${note.id}`} onClick={() => setEditing(noteText(note))}>
            Edit
          </Button>
        )}
      </Group>
      {editing === null ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {noteText(note)}
        </Text>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            write.mutate({ noteId: note.id, text: editing });
          }}
        >
          <Stack gap={4}>
            <Textarea label={`Note ${note.id} text`} value={editing} onChange={(e) => setEditing(e.currentTarget.value)} autosize minRows={2} error={textError(write.error)} />
            <Group gap="xs" justify="flex-end">
              <Button size="xs" variant="default" onClick={() => setEditing(null)}>
                Cancel
              </Button>
              <Button size="xs" type="submit" loading={write.isPending} disabled={editing.trim() === ''}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

export function NotesPanel({ kind, id, editable, userId, userName }: Props) {
  const notes = useNotes(kind, id);
  const [text, setText] = useState('');
  const add = useNoteWrite(kind, id, () => setText(''));
  return (
    <Section title="Notes">
      <Stack gap="sm">
        {editable && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate({ noteId: null, text });
            }}
          >
            <Stack gap={4}>
              <Textarea label="New note" value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} error={textError(add.error)} />
              <Group justify="flex-end">
                <Button type="submit" size="xs" loading={add.isPending} disabled={text.trim() === ''}>
                  Add note
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {notes.isError && (
          <Alert color="red" role="alert" title="Notes could not be loaded">
            {notes.error.message}
          </Alert>
        )}
        {notes.data?.length === 0 && (
          <Text size="sm" c="gray.7">
            No notes yet
          </Text>
        )}
        {notes.data && notes.data.length > 0 && (
          <Stack component="ol" gap="sm" aria-label="Notes of this record" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {notes.data.map((note) => (
              <NoteItem
                key={`${note.id}.${note.updated_at}`}
                kind={kind}
                id={id}
                note={note}
                mayEdit={editable && note.note_type === 'common' && note.created_by === userId}
                userName={userName}
              />
            ))}
          </Stack>
        )}
      </Stack>
    </Section>
  );
}
