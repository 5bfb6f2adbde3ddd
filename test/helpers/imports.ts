import type { Harness, TestClient } from './http.ts';

export type Run = { id: string; status: string; dryRun: boolean; result: any; error: any };

/** Uploads a file to POST /api/imports, waits for its run, and returns the run as GET /api/imports/:id gives it. */
export async function upload(h: Harness, c: TestClient, format: string, filename: string, bytes: Buffer, query: Record<string, string> = {}): Promise<Run> {
  const qs = new URLSearchParams({ format, filename, ...query });
  const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: bytes });
  if (res.statusCode !== 202) return { id: '', status: `http-${res.statusCode}`, dryRun: true, result: null, error: res.json().error };
  await h.app.importRuns.inFlight.get(res.json().id);
  return (await c.request({ method: 'GET', url: `/api/imports/${res.json().id}` })).json();
}
