import { Box, Container, Group, Paper, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Brand } from './AppLayout.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The frame of the pages shown before the app itself (sign-in, compulsory two-factor set-up): brand, language, one card. */
export function AuthFrame({ width, children, after }: { width: number; children: ReactNode; after?: ReactNode }) {
  return (
    <Box className="login-bg">
      <Container size={width} pt={48} pb="xl">
        <Group justify="space-between" mb="xl" wrap="nowrap">
          <Brand inverted />
          <LanguageSwitch size="sm" />
        </Group>
        <Paper shadow="md" p="xl" withBorder component="main" id="main">
          <Stack gap="md">{children}</Stack>
        </Paper>
        {after}
      </Container>
    </Box>
  );
}
