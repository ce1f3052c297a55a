// /settings/security: changes waiting for four-eyes approval (while that policy is on), the
// workspace policy, the IP whitelist (with what report-only mode would have refused) and logins
// over time.
import { Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { ApprovalsList } from '../../components/admin/ApprovalsList';
import { LoadError } from '../../components/admin/Dialogs';
import { PolicyForm } from '../../components/admin/PolicyForm';
import { WhitelistEditor } from '../../components/admin/WhitelistEditor';
import { WouldRefuseList } from '../../components/admin/WouldRefuseList';
import { PageLoader } from '../../components/PageLoader';
import { getPolicy, getWhitelist } from '../../lib/adminApi';

const LoginChart = lazy(() => import('../../components/admin/LoginChart'));

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Stack>
        <Title order={2} id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

export default function SecurityPage() {
  const policy = useQuery({ queryKey: ['security', 'policy'], queryFn: getPolicy });
  const whitelist = useQuery({ queryKey: ['security', 'whitelist'], queryFn: getWhitelist });
  return (
    <Stack>
      <Title order={1}>Security</Title>
      {policy.data?.four_eyes && (
        <Section id="approvals-title" title="Changes waiting for approval">
          <ApprovalsList />
        </Section>
      )}
      <Section id="policy-title" title="Workspace policy">
        {policy.isPending ? <PageLoader /> : policy.isError ? <LoadError error={policy.error} /> : <PolicyForm policy={policy.data} />}
      </Section>
      <Section id="whitelist-title" title="IP whitelist">
        {whitelist.isPending ? (
          <PageLoader />
        ) : whitelist.isError ? (
          <LoadError error={whitelist.error} />
        ) : (
          // Keyed by the saved list so the editor restarts from what the server holds.
          <WhitelistEditor key={JSON.stringify(whitelist.data)} whitelist={whitelist.data} />
        )}
      </Section>
      <Section id="would-refuse-title" title="What report-only mode would have refused">
        {whitelist.data && !(whitelist.data.enabled && whitelist.data.report_only) && (
          <Text c="gray.7">Report-only mode is off; earlier entries stay listed.</Text>
        )}
        <WouldRefuseList />
      </Section>
      <Section id="logins-title" title="Logins">
        <Suspense fallback={<PageLoader />}>
          <LoginChart />
        </Suspense>
      </Section>
    </Stack>
  );
}
