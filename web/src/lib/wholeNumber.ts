// Whole numbers as typed in a form (a NumberInput holds a number, or '' when cleared): sent as
// typed or refused with a message, never turned into a number nobody typed.

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
