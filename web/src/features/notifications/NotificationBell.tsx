import { Indicator, Menu, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';
import type { NotificationItem } from '../../api/followup.ts';
import { formatDateTime, formatNumber, pickLabel } from '../../api/format.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';
import '../../components/charts.css';

type NotificationList = ResponseOf<'/api/notifications'>;

/** Header bell: the unread count (checked every minute) and the latest notices; a click marks one read and opens it. */
export function NotificationBell() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api<NotificationList>('/api/notifications?unread=true&pageSize=20'),
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
  const recent = useQuery({
    queryKey: ['notifications', 'recent'],
    queryFn: () => api<NotificationList>('/api/notifications?pageSize=15'),
    enabled: false,
  });
  const read = useMutation({
    mutationFn: (id: string) => api(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const count = unread.data?.unread ?? 0;
  const items = recent.data?.items ?? unread.data?.items ?? [];

  const open = (n: NotificationItem) => {
    if (!n.read_at) read.mutate(n.id);
    if (n.link && n.link.startsWith('/')) void navigate(n.link);
  };

  return (
    <Menu position="bottom-end" shadow="md" width={360} onOpen={() => void recent.refetch()}>
      <Menu.Target>
        <UnstyledButton
          aria-label={count ? t('notifications.labelUnread', { n: formatNumber(count, lang) }) : t('notifications.label')}
          data-testid="notifications-bell"
          style={{ padding: 6, borderRadius: 6 }}
        >
          <Indicator label={<bdi>{formatNumber(count, lang)}</bdi>} size={18} color="red.9" disabled={count === 0} offset={4} data-testid="notifications-count" data-count={count}>
            <svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="#0b6b64" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" style={{ display: 'block' }}>
              <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
              <path d="M13.7 21a2 2 0 0 1-3.4 0" />
            </svg>
          </Indicator>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown data-testid="notifications-menu">
        <Menu.Label>{t('notifications.title')}</Menu.Label>
        {items.length === 0 ? (
          // a menu needs an item, even when there is nothing to list
          <Menu.Item disabled data-testid="notifications-empty">
            <Text size="sm" c="dimmed">
              {t('notifications.empty')}
            </Text>
          </Menu.Item>
        ) : (
          <ScrollArea.Autosize mah={420}>
            {items.map((n) => (
              <Menu.Item key={n.id} onClick={() => open(n)} className={n.read_at ? undefined : 'notif-unread'} data-testid="notification-item" data-kind={n.kind}>
                <Stack gap={2}>
                  <Text size="sm" fw={n.read_at ? 400 : 600}>
                    {!n.read_at ? <span className="visually-hidden">{t('notifications.unread')}: </span> : null}
                    {pickLabel(n.title_ar, n.title_en, lang)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    <bdi>{formatDateTime(n.created_at, lang)}</bdi>
                  </Text>
                </Stack>
              </Menu.Item>
            ))}
          </ScrollArea.Autosize>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
