import { z } from 'zod';

/** GET /api/health's answer (src/server/app.ts): the response schema the route declares. */
export const healthSchema = z.object({
  status: z.enum(['ok', 'migrations_pending']),
  /** the server's version */
  version: z.string(),
  engine: z.enum(['sqlite', 'postgres']),
  /** where the database is, without credentials: administrators only */
  database: z.string().optional(),
  /** migration names, applied and still pending */
  migrations: z.object({ applied: z.array(z.string()), pending: z.array(z.string()) }),
});
