import { DuplicatesPage } from './features/duplicates/DuplicatesPage.tsx';
import { Center, DirectionProvider, Loader, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { setUnauthenticatedHandler } from './api/client.ts';
import type { SessionPayload } from './api/types.ts';
import { canCurate, SESSION_KEY, useSession } from './auth/session.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { ErrorState } from './components/States.tsx';
import { BackupsPage } from './features/admin/BackupsPage.tsx';
import { TaxonomiesPage } from './features/admin/TaxonomiesPage.tsx';
import { UsersPage } from './features/admin/UsersPage.tsx';
import { DocumentPage } from './features/documents/DocumentPage.tsx';
import { DocumentsPage } from './features/documents/DocumentsPage.tsx';
import { EntitiesPage } from './features/entities/EntitiesPage.tsx';
import { GlossaryPage } from './features/glossary/GlossaryPage.tsx';
import { InstancePage } from './features/instance/InstancePage.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { AssignmentPage, AssignmentsRedirect } from './features/assignments/AssignmentPage.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { DashboardPage } from './features/dashboard/DashboardPage.tsx';
import { UpdatePage } from './features/updates/UpdatePage.tsx';
import { WorkspacePage } from './features/workspace/WorkspacePage.tsx';
import { ImportPage } from './features/imports/ImportPage.tsx';
import { TaggingPage } from './features/tagging/TaggingPage.tsx';
import { LoginPage } from './features/login/LoginPage.tsx';
import { TwoFactorSetupPage } from './features/account/TwoFactorSetupPage.tsx';
import { NotFoundPage } from './features/NotFoundPage.tsx';
import { RecommendationDetailPage } from './features/recommendations/RecommendationDetailPage.tsx';
import { RecommendationsPage } from './features/recommendations/RecommendationsPage.tsx';
import { ClusterPage } from './features/clusters/ClusterPage.tsx';
import { ClustersPage } from './features/clusters/ClustersPage.tsx';
import { PlanPage } from './features/plan/PlanPage.tsx';
import { PlansPage } from './features/plan/PlansPage.tsx';
import { CalendarPage } from './features/reports/CalendarPage.tsx';
import { ReportEditorPage } from './features/reports/ReportEditorPage.tsx';
import { ReportsPage } from './features/reports/ReportsPage.tsx';
import { currentLang, dirOf } from './i18n/index.ts';
import { clearLanguageChoice, languageChosenBeforeSignIn, useLanguage } from './i18n/useLanguage.ts';
import { theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => count < 1 && !(err && typeof err === 'object' && 'status' in err && Number(err.status) < 500),
    },
  },
});

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

  // An expired session on any call sends the person back to the sign-in page.
  useEffect(() => {
    setUnauthenticatedHandler(() => qc.setQueryData<SessionPayload>(SESSION_KEY, { user: null, csrfToken: null }));
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
  if (session.data?.twoFactorSetupRequired) return <TwoFactorSetupPage />;

  return (
    <AppLayout user={user}>
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
        {canCurate(user) ? <Route path="/duplicates" element={<DuplicatesPage />} /> : null}
        {canCurate(user) ? <Route path="/admin/taxonomies" element={<TaxonomiesPage />} /> : null}
        <Route path="/glossary" element={<GlossaryPage />} />
        {user.role === 'admin' ? <Route path="/admin/users" element={<UsersPage />} /> : null}
        {user.role === 'admin' ? <Route path="/admin/audit" element={<AuditPage />} /> : null}
        {user.role === 'admin' ? <Route path="/admin/backups" element={<BackupsPage />} /> : null}
        {user.role === 'admin' ? <Route path="/admin/instance" element={<InstancePage />} /> : null}
        {canCurate(user) ? <Route path="/admin" element={<Navigate to={user.role === 'admin' ? '/admin/users' : '/admin/taxonomies'} replace />} /> : null}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </AppLayout>
  );
}
