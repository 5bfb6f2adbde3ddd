import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../api/client.ts';
import type { Lang, PublicSettings, SessionPayload, User } from '../api/types.ts';

export const SESSION_KEY = ['session'] as const;

/** The session query's options: shared by the hook and the first screen's start (web/src/firstScreen.ts). */
export const sessionQuery = {
  queryKey: SESSION_KEY,
  queryFn: async (): Promise<SessionPayload> => {
    const s = await api<SessionPayload>('/api/auth/session');
    setCsrfToken(s.csrfToken);
    return s;
  },
  staleTime: Infinity,
  retry: 1,
};

export function useSession() {
  return useQuery(sessionQuery);
}

export function usePublicSettings() {
  return useQuery({
    queryKey: ['settings', 'public'],
    queryFn: () => api<PublicSettings>('/api/settings/public'),
    staleTime: 5 * 60_000,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string; code?: string }) =>
      api<{ user: User; csrfToken: string; twoFactorSetupRequired: boolean; passwordChangeRequired?: boolean }>('/api/auth/login', { method: 'POST', body: input }),
    onSuccess: (data) => {
      setCsrfToken(data.csrfToken);
      qc.setQueryData<SessionPayload>(SESSION_KEY, {
        user: data.user,
        csrfToken: data.csrfToken,
        twoFactorSetupRequired: data.twoFactorSetupRequired,
        passwordChangeRequired: data.passwordChangeRequired ?? false,
      });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ ok: boolean }>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      setCsrfToken(null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'settings' });
      qc.setQueryData<SessionPayload>(SESSION_KEY, { user: null, csrfToken: null, twoFactorSetupRequired: false, passwordChangeRequired: false });
    },
  });
}

export function saveLocale(locale: Lang): Promise<unknown> {
  return api('/api/auth/locale', { method: 'PUT', body: { locale } });
}

export const CURATOR_ROLES: readonly User['role'][] = ['admin', 'coordinator'];
export function canCurate(user: User | null | undefined): boolean {
  return !!user && CURATOR_ROLES.includes(user.role);
}
