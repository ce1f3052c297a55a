import { RecordsListPage } from './RecordsListPage';

export default function CompaniesPage() {
  return <RecordsListPage kind="companies" />;
}
