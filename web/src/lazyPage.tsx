import { type ComponentType, lazy, useState } from 'react';

export type LazyPage<P extends object> = ComponentType<P> & {
  /** Starts loading the page's code (once); resolves when it can render without suspending. */
  preload: () => Promise<ComponentType<P>>;
};

/**
 * A page loaded when first visited, like React.lazy, that can also be loaded ahead (`preload`). Once its code is
 * here it renders directly: React.lazy suspends on its first render even when the code has already arrived, and
 * React then holds the revealed page back for its fallback's minimum showing time (about 300 ms), which the first
 * screen of the register would wait for (issue 15).
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    pending ??= load().then(
      (c) => (loaded = c),
      (err: unknown) => {
        pending = null; // a failed download (e.g. a new deployment) is tried again on the next visit
        throw err;
      },
    );
    return pending;
  };
  const Lazy = lazy(() => preload().then((c) => ({ default: c })));
  function Page(props: P) {
    // chosen once per mount: switching from the lazy wrapper to the component would remount the page
    const [Component] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return <Component {...props} />;
  }
  return Object.assign(Page, { preload });
}
