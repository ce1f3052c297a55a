import { RecordPage } from './RecordPage';

export default function ContactPage() {
  return <RecordPage kind="contacts" />;
}
