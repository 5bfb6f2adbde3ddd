import { AppShell, Avatar, Badge, Box, Burger, Group, Menu, Modal, NavLink, ScrollArea, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { pickLabel } from '../api/format.ts';
import type { Role, User } from '../api/types.ts';
import { useLogout, usePublicSettings } from '../auth/session.ts';
import { useLanguage } from '../i18n/useLanguage.ts';
import { PortalLink } from '../features/portal/PortalLinks.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { SessionsModal } from '../features/account/SessionsModal.tsx';
import { PasswordModal } from '../features/account/PasswordModal.tsx';
import { TwoFactorPanel } from '../features/account/TwoFactorPanel.tsx';

interface NavItem {
  to: string;
  key: string;
  icon: string;
  match: (p: string) => boolean;
  /** who sees it (everyone when absent) */
  roles?: readonly Role[];
  children?: readonly NavItem[];
}

const CURATORS: readonly Role[] = ['admin', 'coordinator'];

/** Only sections that exist are links, in the SPEC's order; the rest of its sidebar arrives with their pages. */
const NAV: readonly NavItem[] = [
  { to: '/', key: 'nav.home', icon: '⌂', match: (p: string) => p === '/' },
  { to: '/workspace', key: 'nav.workspace', icon: '✓', match: (p: string) => p.startsWith('/workspace') || p.startsWith('/assignments') || p.startsWith('/updates') },
  { to: '/dashboard', key: 'nav.dashboard', icon: '▥', match: (p: string) => p.startsWith('/dashboard') },
  { to: '/recommendations', key: 'nav.recommendations', icon: '☰', match: (p: string) => p.startsWith('/recommendations') },
  { to: '/clusters', key: 'nav.clusters', icon: '◎', match: (p: string) => p.startsWith('/clusters') },
  { to: '/documents', key: 'nav.documents', icon: '▤', match: (p: string) => p.startsWith('/documents') },
  { to: '/entities', key: 'nav.entities', icon: '⌘', match: (p: string) => p.startsWith('/entities') },
  { to: '/glossary', key: 'arabic.glossary.nav', icon: '⇄', match: (p: string) => p.startsWith('/glossary') },
  { to: '/plan', key: 'nav.plan', icon: '◧', match: (p: string) => p.startsWith('/plan') },
  { to: '/reports', key: 'nav.reports', icon: '▣', match: (p: string) => p.startsWith('/reports') || p.startsWith('/calendar') },
  { to: '/import', key: 'nav.import', icon: '⇪', match: (p: string) => p.startsWith('/import'), roles: CURATORS },
  { to: '/tagging', key: 'tagging.nav', icon: '⌗', match: (p: string) => p.startsWith('/tagging'), roles: CURATORS },
  { to: '/consultations', key: 'consult.nav', icon: '✎', match: (p: string) => p.startsWith('/consultations'), roles: CURATORS },
  {
    to: '/admin',
    key: 'nav.admin',
    icon: '⚙',
    match: (p: string) => p.startsWith('/admin'),
    roles: CURATORS,
    children: [
      { to: '/admin/users', key: 'nav.users', icon: '', match: (p: string) => p.startsWith('/admin/users'), roles: ['admin'] },
      { to: '/admin/taxonomies', key: 'nav.taxonomies', icon: '', match: (p: string) => p.startsWith('/admin/taxonomies'), roles: CURATORS },
      { to: '/admin/theme-mappings', key: 'realweb.themeMappings.nav', icon: '', match: (p: string) => p.startsWith('/admin/theme-mappings'), roles: CURATORS },
      { to: '/duplicates', key: 'realdata.nav', icon: '', match: (p: string) => p.startsWith('/duplicates'), roles: CURATORS },
      { to: '/admin/audit', key: 'nav.audit', icon: '', match: (p: string) => p.startsWith('/admin/audit'), roles: ['admin'] },
      { to: '/admin/backups', key: 'backups.nav', icon: '', match: (p: string) => p.startsWith('/admin/backups'), roles: ['admin'] },
      { to: '/admin/instance', key: 'arabic.instance.nav', icon: '', match: (p: string) => p.startsWith('/admin/instance'), roles: ['admin'] },
    ],
  },
];

const visibleTo = (user: User) => (item: NavItem) => !item.roles || item.roles.includes(user.role);

export function DemoBadge({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color="yellow.3" c="dark.9" variant="filled" size={compact ? 'sm' : 'lg'} radius="sm" px={compact ? 4 : undefined} style={{ border: '1px solid #c99a06', flexShrink: 0 }}>
      {t(compact ? 'app.demo' : 'app.demoWorkspace')}
    </Badge>
  );
}

export function Brand({ inverted = false }: { inverted?: boolean }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const settings = usePublicSettings();
  const state = settings.data ? pickLabel(settings.data.stateName.ar, settings.data.stateName.en, lang) : '';
  // the instance's own title when its administrators set one, else the product's name
  const title = settings.data?.appTitle ? pickLabel(settings.data.appTitle.ar, settings.data.appTitle.en, lang) : '';
  return (
    <Group gap="sm" wrap="nowrap">
      {settings.data?.logo ? (
        // the state's own logo (admins set it); its address carries its digest, so the browser keeps it until it changes
        <img className={inverted ? 'brand-logo brand-logo-inverted' : 'brand-logo'} src={`/api/settings/logo?v=${settings.data.logo}`} alt={state || title || t('app.name')} data-testid="brand-logo" />
      ) : (
        <span className="brand-mark" aria-hidden="true">
          ر
        </span>
      )}
      <Stack gap={0}>
        <Text fw={700} size="lg" lh={1.2} c={inverted ? 'white' : 'navy.9'}>
          {title || t('app.name')}
        </Text>
        {state ? (
          <Text size="xs" lh={1.3} c={inverted ? 'gray.2' : 'dimmed'} visibleFrom="sm">
            {state}
          </Text>
        ) : null}
      </Stack>
    </Group>
  );
}

function UserMenu({ user }: { user: User }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const [changing, setChanging] = useState(false);
  const [twoFactor, setTwoFactor] = useState(false);
  const [listing, setListing] = useState(false);
  const initials = user.name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .slice(0, 1)
    .join('');
  return (
    <>
    {changing ? <PasswordModal title={t('user.changePassword')} onClose={() => setChanging(false)} /> : null}
    {twoFactor ? (
      <Modal opened onClose={() => setTwoFactor(false)} title={t('twoFactor.title')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <TwoFactorPanel onDone={() => setTwoFactor(false)} />
      </Modal>
    ) : null}
    {listing ? <SessionsModal onClose={() => setListing(false)} /> : null}
    <Menu position="bottom-end" shadow="md" width={240}>
      <Menu.Target>
        <UnstyledButton aria-label={t('user.menu', { name: user.name })} data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar color="rasd" variant="filled" radius="xl" size="md" aria-hidden="true">
              {initials}
            </Avatar>
            <Stack gap={0} visibleFrom="sm">
              <Text size="sm" fw={600} lh={1.3}>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.3}>
                {t(`roles.${user.role}`)}
              </Text>
            </Stack>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="dark.7">
            {user.name}
          </Text>
          <Text size="xs" c="dimmed">
            <bdi>{user.email}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            {t('user.role')}: {t(`roles.${user.role}`)}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item onClick={() => setChanging(true)} data-testid="change-password">
          {t('user.changePassword')}
        </Menu.Item>
        <Menu.Item onClick={() => setTwoFactor(true)} data-testid="two-factor-menu">
          {t('twoFactor.menu')}
        </Menu.Item>
        <Menu.Item onClick={() => setListing(true)} data-testid="my-sessions">
          {t('sessions.menu')}
        </Menu.Item>
        <Menu.Item color="red.8" onClick={() => logout.mutate()}>
          {t('user.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
    </>
  );
}

export function AppLayout({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const settings = usePublicSettings();
  const location = useLocation();

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
      transitionDuration={0}
    >
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header className="app-header">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Brand />
            {settings.data?.demo ? (
              <>
                <Box visibleFrom="sm">
                  <DemoBadge />
                </Box>
                <Box hiddenFrom="sm" style={{ flexShrink: 0 }}>
                  <DemoBadge compact />
                </Box>
              </>
            ) : null}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell />
            <LanguageSwitch />
            <UserMenu user={user} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" className="app-navbar" aria-label={t('nav.label')} component="nav" data-testid="sidebar">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={4}>
            {NAV.filter(visibleTo(user)).map((item) => {
              const active = item.match(location.pathname);
              if (item.children) {
                return (
                  <NavLink
                    key={item.to}
                    component="button"
                    label={t(item.key)}
                    leftSection={<span aria-hidden="true" className="nav-icon">{item.icon}</span>}
                    defaultOpened={active}
                    variant="light"
                    fw={active ? 600 : 500}
                    childrenOffset={28}
                  >
                    {item.children.filter(visibleTo(user)).map((child) => {
                      const on = child.match(location.pathname);
                      return (
                        <NavLink
                          key={child.to}
                          component={Link}
                          to={child.to}
                          label={t(child.key)}
                          active={on}
                          aria-current={on ? 'page' : undefined}
                          onClick={close}
                          variant="light"
                          fw={on ? 600 : 500}
                        />
                      );
                    })}
                  </NavLink>
                );
              }
              return (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={t(item.key)}
                  leftSection={<span aria-hidden="true" className="nav-icon">{item.icon}</span>}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  onClick={close}
                  variant="light"
                  fw={active ? 600 : 500}
                />
              );
            })}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <VisuallyHidden>{t('app.name')}</VisuallyHidden>
          <Box px="sm" pt="xs">
            <PortalLink />
          </Box>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            {t('app.tagline')}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
