// A form that sends one request: its submit handler, whether it is busy, and a refused request
// split between the fields the form shows (`shown`, API field names) and one sentence for the
// rest. On success `onDone` gets the answer and the lists named by `refresh` reload.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { formRefusal } from '../../api/problem';

interface Options<T> {
  shown: readonly string[];
  refresh: string[][];
  onDone: (answer: T) => void;
}

export function useFormSubmit<T>(call: () => Promise<T>, { shown, refresh, onDone }: Options<T>) {
  const queries = useQueryClient();
  const mutation = useMutation({
    mutationFn: call,
    onSuccess: async (answer) => {
      onDone(answer);
      await Promise.all(refresh.map((queryKey) => queries.invalidateQueries({ queryKey })));
    },
  });
  const { fields, form } = formRefusal(mutation.error, shown);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return { submit, busy: mutation.isPending, fields, formError: form };
}
