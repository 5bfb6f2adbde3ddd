/** Lets the event loop run between slices of a long computation (or of a long transaction's statements). */
export type Yielder = () => Promise<void>;
export function yielder(sliceMs = 8): Yielder {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await new Promise((r) => setImmediate(r));
    since = performance.now();
  };
}
