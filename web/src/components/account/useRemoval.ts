// A removal that asks first: `pending` is the item waiting for confirmation (the dialog opens
// while it is set), `mutation` runs `call` on it, then says so and refreshes the lists named by
// `refresh` (query keys), or shows why not.
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

interface Messages<T> {
  done: string;
  failed: string;
  detail: (item: T) => string;
}

export function useRemoval<T>(call: (item: T) => Promise<unknown>, messages: Messages<T>, refresh: string[][]) {
  const queries = useQueryClient();
  const [pending, setPending] = useState<T | null>(null);
  const mutation = useMutation({
    mutationFn: call,
    onSuccess: async (_, item) => {
      setPending(null);
      notifications.show({ title: messages.done, message: messages.detail(item) });
      await Promise.all(refresh.map((queryKey) => queries.invalidateQueries({ queryKey })));
    },
    onError: (error) => {
      setPending(null);
      notifications.show({ color: 'red', title: messages.failed, message: error.message });
    },
  });
  return { pending, setPending, mutation };
}
