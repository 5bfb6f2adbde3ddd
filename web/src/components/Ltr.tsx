import type { ReactNode } from 'react';

/**
 * Numbers, dates and document symbols: isolated and left-to-right, also inside Arabic text. Kept on one line, but on a
 * phone when `wrap` (an amount and its currency in a narrow table cell may break between them).
 */
export function Ltr({ children, wrap = false }: { children: ReactNode; wrap?: boolean }) {
  return (
    <bdi dir="ltr" className={wrap ? 'ltr ltr-wrap' : 'ltr'}>
      {children}
    </bdi>
  );
}
