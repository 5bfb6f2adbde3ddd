import type { ReactNode } from 'react';

/** Numbers, dates and document symbols: isolated and left-to-right, also inside Arabic text. */
export function Ltr({ children }: { children: ReactNode }) {
  return (
    <bdi dir="ltr" className="ltr">
      {children}
    </bdi>
  );
}
