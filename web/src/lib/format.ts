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

// A span of time in words, its largest unit and the next one when that is not zero, rounded
// down: 45 → "45 s", 90 → "1 min 30 s", 8100 → "2 h 15 min", 7200 → "2 h", 200000 → "2 d 7 h".
export function formatSpan(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const units: [number, string][] = [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const first = units.findIndex(([size]) => whole >= size);
  const unit = units[first];
  if (!unit) return '0 s';
  const out = `${Math.floor(whole / unit[0])} ${unit[1]}`;
  const next = units[first + 1];
  if (!next) return out;
  const rest = Math.floor((whole % unit[0]) / next[0]);
  return rest > 0 ? `${out} ${rest} ${next[1]}` : out;
}
