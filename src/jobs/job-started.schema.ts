import { z } from 'zod';

/** The answer of a route that starts a background job (202): follow it at /api/jobs/:id. */
export const jobStartedSchema = z.object({ jobId: z.string() });
