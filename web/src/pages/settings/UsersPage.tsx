// PLACEHOLDER: replaced by the console helpers; must not remain at submission.
import { Title } from '@mantine/core';

export default function UsersPage() {
  return <Title order={1}>UsersPage</Title>;
}
