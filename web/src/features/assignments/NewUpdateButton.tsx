import { Button } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { ProgressUpdate } from '../../api/followup.ts';

/** Starts an empty draft for an assignment and opens it in the editor. */
export function NewUpdateButton({ assignmentId, size = 'compact-sm', variant = 'light' }: { assignmentId: string; size?: string; variant?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: () => api<ProgressUpdate>(`/api/assignments/${encodeURIComponent(assignmentId)}/updates`, { method: 'POST', body: {} }),
    onSuccess: async (u) => {
      qc.setQueryData(['update', u.id], u);
      await qc.invalidateQueries({ queryKey: ['workspace'] });
      void navigate(`/updates/${u.id}`);
    },
  });
  return (
    <Button
      size={size}
      variant={variant}
      onClick={() => create.mutate()}
      loading={create.isPending}
      title={create.isError ? errorMessage(create.error) : undefined}
      color={create.isError ? 'red.9' : undefined}
      data-testid="new-update"
    >
      {create.isError ? errorMessage(create.error) : t('updates.new')}
    </Button>
  );
}
