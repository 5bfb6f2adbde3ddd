import { QueryClient } from '@tanstack/react-query';

/** The app's one query cache: the first screen's requests (web/src/firstScreen.ts) start in it before React renders. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => count < 1 && !(err && typeof err === 'object' && 'status' in err && Number(err.status) < 500),
    },
  },
});
