import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber, pickLabel, pickText } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import '../../components/search.css';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { useSimilar } from './api.ts';

const SNIPPET = 220;

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= SNIPPET) return t;
  const cut = t.slice(0, SNIPPET);
  const at = cut.lastIndexOf(' ');
  return `${at > SNIPPET / 2 ? cut.slice(0, at) : cut}…`;
}

/** "Similar recommendations": same demand across mechanisms, cycles and languages, with a score. */
export function SimilarPanel({ id, clusterId }: { id: string; clusterId?: string | null }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const similar = useSimilar(id);
  const items = similar.data?.items ?? [];
  return (
    <Card component="section" aria-labelledby="sec-similar" data-testid="similar-panel">
      <Title order={2} fz="md" mb={4} id="sec-similar" c="navy.9">
        {t('similar.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('similar.hint')}
      </Text>
      {similar.isPending ? (
        <LoadingState />
      ) : similar.isError ? (
        <ErrorState error={similar.error} onRetry={() => void similar.refetch()} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('similar.none')}
        </Text>
      ) : (
        <ul className="similar-list">
          {items.map((s) => {
            const txt = pickText(s, lang);
            const body = ref.data?.bodies.find((b) => b.code === s.body_code);
            const pct = Math.round(s.score * 100);
            return (
              <li key={s.id} data-testid="similar-item">
                <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600}>
                      <Anchor component={Link} to={`/recommendations/${s.id}`}>
                        <Ltr>{s.document_symbol}</Ltr>
                        {s.paragraph ? (
                          <>
                            {' · '}
                            {t('detail.paragraph')} <Ltr>{s.paragraph}</Ltr>
                          </>
                        ) : null}
                      </Anchor>
                    </Text>
                    <Text size="xs" c="dimmed">
                      {body ? pickLabel(body.name_ar, body.name_en, lang, s.body_code) : <Ltr>{s.body_code}</Ltr>}
                      {s.upr_cycle ? <> · {t('facets.cycleValue', { n: formatNumber(s.upr_cycle, lang) })}</> : null}
                      {clusterId && s.cluster_id === clusterId ? (
                        <>
                          {' · '}
                          <Badge size="xs" variant="light" color="navy" c="navy.9">
                            {t('similar.sameCluster')}
                          </Badge>
                        </>
                      ) : null}
                    </Text>
                    {txt ? (
                      <Text size="sm" lang={txt.lang} dir={txt.lang === 'ar' ? 'rtl' : 'ltr'} ta="start">
                        {snippet(txt.text)}
                      </Text>
                    ) : null}
                    {txt && txt.lang !== lang ? (
                      <Text size="xs" c="dimmed">
                        {t('recs.shownIn', { lang: t(`arabic.languageName.${txt.lang}`) })}
                      </Text>
                    ) : null}
                  </Stack>
                  <Stack gap={6} align="flex-end" style={{ flex: 'none' }}>
                    <StatusBadge code={s.status} statuses={ref.data?.statuses} size="sm" />
                    <Group gap={6} wrap="nowrap" title={t('similar.score', { pct })}>
                      <span className="score-bar" aria-hidden="true">
                        <span style={{ width: `${pct}%` }} />
                      </span>
                      <Text size="xs" c="dimmed">
                        <span className="visually-hidden">{t('similar.scoreLabel')} </span>
                        <Ltr>{`${pct}%`}</Ltr>
                      </Text>
                    </Group>
                  </Stack>
                </Group>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
