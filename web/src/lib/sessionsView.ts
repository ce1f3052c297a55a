// How sessions are shown: last activity relative to now, locations in words.

// "just now", "5 minutes ago", "3 hours ago", "2 days ago"; older than a month: the date.
export function formatRelative(unixSeconds: number, nowMs: number = Date.now()): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - unixSeconds));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return plural(Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return plural(Math.floor(seconds / 3600), 'hour');
  if (seconds < 30 * 86400) return plural(Math.floor(seconds / 86400), 'day');
  return formatDateTime(unixSeconds);
}

export function formatDateTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString('en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

let regions: Intl.DisplayNames | null = null;

// The server's location: an ISO country code from its IP-geolocation database, "local" for
// private and loopback addresses, "unknown" when the database has no answer.
export function locationLabel(location: string): string {
  if (location === 'local') return 'Local network';
  if (location === '' || location === 'unknown') return 'Unknown';
  if (/^[A-Z]{2}$/.test(location)) {
    regions ??= new Intl.DisplayNames(['en'], { type: 'region' });
    const name = regions.of(location);
    if (name && name !== location) return `${name} (${location})`;
  }
  return location;
}

// "unknown device" from the server reads better capitalised in a table.
export function deviceLabel(device: string): string {
  return device ? device.charAt(0).toUpperCase() + device.slice(1) : 'Unknown device';
}
