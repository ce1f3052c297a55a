// PLACEHOLDER: replaced by the console helpers; must not remain at submission.
import { Title } from '@mantine/core';

export default function ActivityPage() {
  return <Title order={1}>ActivityPage</Title>;
}
