// A record's tags as badges (lists and record pages).
import { Badge, Group } from '@mantine/core';
import type { Tag } from '../../lib/tags';

export function TagList({ tags }: { tags: Tag[] }) {
  if (tags.length === 0) return null;
  return (
    <Group gap={4} component="ul" aria-label="Tags" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {tags.map((t) => (
        <Badge key={t.id} component="li" variant="outline" color="dark" radius="xl" styles={{ root: { textTransform: 'none', height: 'auto', maxWidth: 'none' }, label: { overflow: 'visible', whiteSpace: 'nowrap' } }}>
          {t.name}
        </Badge>
      ))}
    </Group>
  );
}
