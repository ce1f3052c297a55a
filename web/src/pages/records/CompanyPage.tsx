import { RecordPage } from './RecordPage';

export default function CompanyPage() {
  return <RecordPage kind="companies" />;
}
