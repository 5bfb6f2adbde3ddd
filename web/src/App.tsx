import { Center, DirectionProvider, Loader, MantineProvider } from '@mantine/core';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { setUnauthenticatedHandler } from './api/client.ts';
import { queryClient } from './api/queryClient.ts';
import type { SessionPayload } from './api/types.ts';
import { canCurate, SESSION_KEY, useSession } from './auth/session.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { ErrorState } from './components/States.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { LoginPage } from './features/login/LoginPage.tsx';
import { TwoFactorSetupPage } from './features/account/TwoFactorSetupPage.tsx';
import { PasswordChangeRequiredPage, ResetPasswordPage } from './features/reset/ResetPages.tsx';
import { NotFoundPage } from './features/NotFoundPage.tsx';
import { currentLang, dirOf } from './i18n/index.ts';
import { clearLanguageChoice, languageChosenBeforeSignIn, useLanguage } from './i18n/useLanguage.ts';
import { lazyPage } from './lazyPage.tsx';
import { theme } from './theme.ts';

// Pages load when first visited: the first screen downloads only what it shows (issue 15).
const AssignmentPage = lazy(() => import('./features/assignments/AssignmentPage.tsx').then((m) => ({ default: m.AssignmentPage })));
const AssignmentsRedirect = lazy(() => import('./features/assignments/AssignmentPage.tsx').then((m) => ({ default: m.AssignmentsRedirect })));
const AuditPage = lazy(() => import('./features/audit/AuditPage.tsx').then((m) => ({ default: m.AuditPage })));
const BackupsPage = lazy(() => import('./features/admin/BackupsPage.tsx').then((m) => ({ default: m.BackupsPage })));
const CalendarPage = lazy(() => import('./features/reports/CalendarPage.tsx').then((m) => ({ default: m.CalendarPage })));
const ConsultationPage = lazy(() => import('./features/consultations/ConsultationPage.tsx').then((m) => ({ default: m.ConsultationPage })));
const ConsultationsPage = lazy(() => import('./features/consultations/ConsultationsPage.tsx').then((m) => ({ default: m.ConsultationsPage })));
const ClusterPage = lazy(() => import('./features/clusters/ClusterPage.tsx').then((m) => ({ default: m.ClusterPage })));
const ClustersPage = lazy(() => import('./features/clusters/ClustersPage.tsx').then((m) => ({ default: m.ClustersPage })));
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })));
const DocumentPage = lazy(() => import('./features/documents/DocumentPage.tsx').then((m) => ({ default: m.DocumentPage })));
const DocumentsPage = lazy(() => import('./features/documents/DocumentsPage.tsx').then((m) => ({ default: m.DocumentsPage })));
const DuplicatesPage = lazy(() => import('./features/duplicates/DuplicatesPage.tsx').then((m) => ({ default: m.DuplicatesPage })));
const EntitiesPage = lazy(() => import('./features/entities/EntitiesPage.tsx').then((m) => ({ default: m.EntitiesPage })));
const GlossaryPage = lazy(() => import('./features/glossary/GlossaryPage.tsx').then((m) => ({ default: m.GlossaryPage })));
const ImportPage = lazy(() => import('./features/imports/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const ThemeMappingsPage = lazy(() => import('./features/themeMappings/ThemeMappingsPage.tsx').then((m) => ({ default: m.ThemeMappingsPage })));
const InstancePage = lazy(() => import('./features/instance/InstancePage.tsx').then((m) => ({ default: m.InstancePage })));
const PlanPage = lazy(() => import('./features/plan/PlanPage.tsx').then((m) => ({ default: m.PlanPage })));
const PlansPage = lazy(() => import('./features/plan/PlansPage.tsx').then((m) => ({ default: m.PlansPage })));
const RecommendationDetailPage = lazy(() => import('./features/recommendations/RecommendationDetailPage.tsx').then((m) => ({ default: m.RecommendationDetailPage })));
/** The register's list: its code is also loaded ahead when the app opens on it (web/src/firstScreen.ts). */
export const RecommendationsPage = lazyPage(() => import('./features/recommendations/RecommendationsPage.tsx').then((m) => m.RecommendationsPage));
const ReportEditorPage = lazy(() => import('./features/reports/ReportEditorPage.tsx').then((m) => ({ default: m.ReportEditorPage })));
const ReportsPage = lazy(() => import('./features/reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));
const TaggingPage = lazy(() => import('./features/tagging/TaggingPage.tsx').then((m) => ({ default: m.TaggingPage })));
const TaxonomiesPage = lazy(() => import('./features/admin/TaxonomiesPage.tsx').then((m) => ({ default: m.TaxonomiesPage })));
const UpdatePage = lazy(() => import('./features/updates/UpdatePage.tsx').then((m) => ({ default: m.UpdatePage })));
const UsersPage = lazy(() => import('./features/admin/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));
const WorkspacePage = lazy(() => import('./features/workspace/WorkspacePage.tsx').then((m) => ({ default: m.WorkspacePage })));

export function App() {
  return (
    <DirectionProvider initialDirection={dirOf(currentLang())} detectDirection={false}>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Root />
          </BrowserRouter>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}

function Root() {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const { lang, setLang } = useLanguage();
  const user = session.data?.user ?? null;
  const appliedFor = useRef<string | null>(null);
  const location = useLocation();

  // An expired session on any call sends the person back to the sign-in page.
  useEffect(() => {
    setUnauthenticatedHandler(() => qc.setQueryData<SessionPayload>(SESSION_KEY, { user: null, csrfToken: null, twoFactorSetupRequired: false, passwordChangeRequired: false }));
    return () => setUnauthenticatedHandler(null);
  }, [qc]);

  // After sign-in: a language picked on the sign-in page wins (and is remembered); otherwise the user's own.
  useEffect(() => {
    if (!user) {
      appliedFor.current = null;
      return;
    }
    if (appliedFor.current === user.id) return;
    appliedFor.current = user.id;
    const chosen = languageChosenBeforeSignIn();
    clearLanguageChoice();
    if (chosen) void setLang(chosen, { remember: true });
    else if (user.locale !== lang) void setLang(user.locale, { remember: false });
  }, [user, lang, setLang]);

  // The e-mailed reset link opens its page whoever is signed in on this browser.
  if (location.pathname === '/reset-password') return <ResetPasswordPage />;
  if (session.isPending) {
    return (
      <Center h="100vh" aria-busy="true">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" p="md">
        <ErrorState error={session.error} onRetry={() => void session.refetch()} />
      </Center>
    );
  }
  if (!user) return <LoginPage />;
  if (session.data?.passwordChangeRequired) return <PasswordChangeRequiredPage />;
  // A stakeholder's place is the public portal's consultation pages: the internal app is not theirs.
  if (user.role === 'stakeholder') {
    window.location.replace(`/public/${lang}/consultations`);
    return (
      <Center h="100vh" aria-busy="true">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (session.data?.twoFactorSetupRequired) return <TwoFactorSetupPage />;

  return (
    <AppLayout user={user}>
      <Suspense
        fallback={
          <Center py="xl" aria-busy="true">
            <Loader aria-label={t('common.loading')} />
          </Center>
        }
      >
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route path="/recommendations" element={<RecommendationsPage />} />
        <Route path="/recommendations/:id" element={<RecommendationDetailPage user={user} />} />
        <Route path="/clusters" element={<ClustersPage user={user} />} />
        <Route path="/clusters/:id" element={<ClusterPage user={user} />} />
        <Route path="/workspace" element={<WorkspacePage user={user} />} />
        <Route path="/assignments" element={<AssignmentsRedirect />} />
        <Route path="/assignments/:id" element={<AssignmentPage user={user} />} />
        <Route path="/updates/:id" element={<UpdatePage user={user} />} />
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/documents" element={<DocumentsPage />} />
        <Route path="/documents/:id" element={<DocumentPage />} />
        <Route path="/entities" element={<EntitiesPage />} />
        <Route path="/plan" element={<PlansPage user={user} />} />
        <Route path="/plan/:id" element={<PlanPage user={user} />} />
        <Route path="/reports" element={<ReportsPage user={user} />} />
        <Route path="/reports/:id" element={<ReportEditorPage user={user} />} />
        <Route path="/calendar" element={<CalendarPage />} />
        {canCurate(user) ? <Route path="/import" element={<ImportPage />} /> : null}
        {canCurate(user) ? <Route path="/tagging" element={<TaggingPage />} /> : null}
        {canCurate(user) ? <Route path="/consultations" element={<ConsultationsPage />} /> : null}
        {canCurate(user) ? <Route path="/consultations/:id" element={<ConsultationPage />} /> : null}
        {canCurate(user) ? <Route path="/duplicates" element={<DuplicatesPage />} /> : null}
        {canCurate(user) ? <Route path="/admin/taxonomies" element={<TaxonomiesPage />} /> : null}
        {canCurate(user) ? <Route path="/admin/theme-mappings" element={<ThemeMappingsPage />} /> : null}
        <Route path="/glossary" element={<GlossaryPage />} />
        {user.role === 'admin' ? <Route path="/admin/users" element={<UsersPage />} /> : null}
        {user.role === 'admin' ? <Route path="/admin/audit" element={<AuditPage />} /> : null}
        {user.role === 'admin' ? <Route path="/admin/backups" element={<BackupsPage />} /> : null}
        {user.role === 'admin' ? <Route path="/admin/instance" element={<InstancePage />} /> : null}
        {canCurate(user) ? <Route path="/admin" element={<Navigate to={user.role === 'admin' ? '/admin/users' : '/admin/taxonomies'} replace />} /> : null}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
      </Suspense>
    </AppLayout>
  );
}
