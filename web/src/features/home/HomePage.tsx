import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber, pickLabel } from '../../api/format.ts';
import { useDashboardSummary } from '../../api/queries.ts';
import { useSession } from '../../auth/session.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

function CountCard({ label, value, to, testId }: { label: string; value: string; to?: string; testId: string }) {
  const body = (
    <Card h="100%" data-testid={testId}>
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={34} fw={600} c="navy.9" lh={1.2} mt={6}>
        <bdi>{value}</bdi>
      </Text>
    </Card>
  );
  return to ? (
    <Link to={to} className="count-card-link">
      {body}
    </Link>
  ) : (
    body
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const session = useSession();
  const summary = useDashboardSummary();

  if (summary.isPending) return <LoadingState />;
  if (summary.isError) return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />;
  const s = summary.data;
  const total = s.byStatus.reduce((n, x) => n + x.count, 0);
  const pct = (n: number) => (total ? Math.round((n / total) * 100) : 0);
  const name = session.data?.user?.name ?? '';

  return (
    <Stack gap="lg">
      <PageHeader title={t('home.title')} subtitle={t('home.welcome', { name })} />

      <Group gap="sm" data-testid="home-followup">
        <Button component={Link} to="/workspace" variant="filled">
          {t('home.openWorkspace')}
        </Button>
        <Button component={Link} to="/dashboard" variant="default">
          {t('dashboard.open')}
        </Button>
      </Group>

      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        <CountCard testId="count-recommendations" label={t('home.counts.recommendations')} value={formatNumber(s.counts.recommendations, lang)} to="/recommendations" />
        <CountCard testId="count-documents" label={t('home.counts.documents')} value={formatNumber(s.counts.documents, lang)} />
        <CountCard testId="count-entities" label={t('home.counts.entities')} value={formatNumber(s.counts.entities, lang)} />
        <CountCard testId="count-users" label={t('home.counts.users')} value={formatNumber(s.counts.users, lang)} />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card component="section" aria-labelledby="by-status">
          <Title order={2} fz="lg" id="by-status" mb="xs" c="navy.9">
            {t('home.byStatus')}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            {t('home.byStatusHint')}
          </Text>
          <div className="status-bar" aria-hidden="true">
            {s.byStatus
              .filter((x) => x.count > 0)
              .map((x) => (
                <span key={x.code} style={{ width: `${(x.count / Math.max(total, 1)) * 100}%`, background: x.color }} />
              ))}
          </div>
          <Table mt="md" verticalSpacing={8} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('home.status')}</Table.Th>
                <Table.Th ta="end">{t('home.count')}</Table.Th>
                <Table.Th ta="end">{t('home.share')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.byStatus.map((x) => (
                <Table.Tr key={x.code}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <span className="status-dot" style={{ background: x.color }} aria-hidden="true" />
                      <Anchor component={Link} to={`/recommendations?status=${encodeURIComponent(x.code)}`} size="sm">
                        {pickLabel(x.label_ar, x.label_en, lang, x.code)}
                      </Anchor>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="end">
                    <bdi>{formatNumber(x.count, lang)}</bdi>
                  </Table.Td>
                  <Table.Td ta="end">
                    <bdi>{formatNumber(pct(x.count), lang)}%</bdi>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>

        <Card component="section" aria-labelledby="by-mechanism">
          <Title order={2} fz="lg" id="by-mechanism" mb="xs" c="navy.9">
            {t('home.byMechanism')}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            {t('home.byMechanismHint')}
          </Text>
          <Table verticalSpacing={8} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('home.mechanism')}</Table.Th>
                <Table.Th ta="end">{t('home.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.byMechanism.map((m) => {
                const label = pickLabel(m.name_ar, m.name_en, lang, m.code);
                return (
                  <Table.Tr key={m.code}>
                    <Table.Td>
                      {m.count > 0 ? (
                        <Anchor component={Link} to={`/recommendations?mechanism=${encodeURIComponent(m.code)}`} size="sm">
                          {label}
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {label}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="end">
                      <bdi>{formatNumber(m.count, lang)}</bdi>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
