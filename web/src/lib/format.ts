// How records' numbers and times read in the console.
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatTime(unixSeconds: number | null | undefined): string {
  if (!unixSeconds) return '—';
  return dateTime.format(new Date(unixSeconds * 1000));
}

export function formatPrice(price: number): string {
  return money.format(price);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// A call's length as m:ss (125 → "2:05").
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
