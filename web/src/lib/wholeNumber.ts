// Whole numbers as typed in a form (a NumberInput holds a number, or '' when cleared): sent as
// typed or refused with a message, never turned into a number nobody typed.
import { useState } from 'react';

// A whole number as typed, or an error; '' is "not given".
export function wholeNumber(raw: number | string): { value?: number; error?: string } {
  if (raw === '') return {};
  const value = typeof raw === 'number' ? raw : Number(String(raw).replace(/\s/g, ''));
  if (!Number.isFinite(value) || !Number.isInteger(value)) return { error: 'Enter a whole number' };
  return { value };
}

// A whole number that must be given: `message` when the input is empty or not a whole number.
export function requiredWholeNumber(raw: number | string, message: string): { value?: number; error?: string } {
  const parsed = wholeNumber(raw);
  return parsed.value === undefined ? { error: message } : parsed;
}

// The error of a changed value that must be a whole number: none when unchanged (undefined).
export function requiredChangeError(raw: number | string | undefined, message: string): string | null {
  return raw === undefined ? null : (requiredWholeNumber(raw, message).error ?? null);
}

// A required whole-number input of an edit form, checked on submit: `accepts` shows (or clears)
// the error and says whether the form may be sent.
export function useRequiredWholeNumber(message: string): { error: string | null; accepts: (raw: number | string | undefined) => boolean } {
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    accepts: (raw) => {
      const found = requiredChangeError(raw, message);
      setError(found);
      return found === null;
    },
  };
}
