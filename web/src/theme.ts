import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** Deep teal: calm, official, and dark enough at shade 7 for white text (AA). */
const rasd: MantineColorsTuple = [
  '#e8f4f3',
  '#d2e8e6',
  '#a3d0cc',
  '#70b6b0',
  '#479f98',
  '#2d9089',
  '#1a8078',
  '#0b6b64',
  '#045e58',
  '#00504b',
];

/** Navy for headings and the brand mark. */
const navy: MantineColorsTuple = [
  '#eef2f7',
  '#dbe2eb',
  '#b3c2d5',
  '#88a0bf',
  '#6584ac',
  '#4f72a1',
  '#43689c',
  '#345788',
  '#2b4d7a',
  '#1d3a5f',
];

export const FONT_STACK =
  "'IBM Plex Sans Arabic', system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', sans-serif";

export const theme = createTheme({
  primaryColor: 'rasd',
  primaryShade: 7,
  colors: { rasd, navy },
  fontFamily: FONT_STACK,
  headings: { fontFamily: FONT_STACK, fontWeight: '600' },
  defaultRadius: 'sm',
  fontSizes: { xs: '0.8rem', sm: '0.875rem', md: '0.95rem', lg: '1.05rem', xl: '1.2rem' },
  components: {
    Badge: { defaultProps: { radius: 'sm' }, styles: { root: { textTransform: 'none', fontWeight: 500, letterSpacing: 0 } } },
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm' } },
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    Paper: { defaultProps: { radius: 'md' } },
    // Light alerts keep dark text: coloured text on a tinted background fails contrast.
    Alert: { styles: { title: { color: 'var(--rasd-ink)' }, message: { color: 'var(--rasd-ink)' } } },
  },
});
