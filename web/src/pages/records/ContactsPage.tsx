import { RecordsListPage } from './RecordsListPage';

export default function ContactsPage() {
  return <RecordsListPage kind="contacts" />;
}
