// Small pure helpers of the two-step verification screens (enrolment, new recovery codes).

// The server's QR code (an SVG document) as an image source. An <img> never runs scripts in an
// SVG, and the console's Content-Security-Policy allows data: images.
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

// A base32 secret in groups of four, easier to type into an authenticator app by hand.
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').match(/.{1,4}/g)?.join(' ') ?? '';
}

// What a user types as a code: spaces and dashes inside a six-digit code dropped; a recovery
// code ("abcd-efgh-jkmn") kept as typed apart from the surrounding spaces.
export function normalizeCode(input: string): string {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[\s-]+/g, '');
  return /^\d{6}$/.test(digits) ? digits : trimmed;
}

// The text file a user downloads with the recovery codes.
export function recoveryCodesText(codes: string[], who: string, issued: Date): string {
  return [
    'Gatehouse recovery codes',
    `Account: ${who}`,
    `Issued: ${issued.toISOString().slice(0, 10)}`,
    '',
    'Each code signs you in once when you cannot use your authenticator app.',
    'Keep them somewhere safe; new codes replace all of these.',
    '',
    ...codes,
    '',
  ].join('\n');
}

// The account an otpauth:// URI is for ("otpauth://totp/Gatehouse:sam%40acme.test?…" →
// "sam@acme.test"), or "" when the URI has no label.
export function otpauthAccount(uri: string): string {
  const match = /^otpauth:\/\/totp\/([^?]*)/.exec(uri);
  if (!match) return '';
  let label: string;
  try {
    label = decodeURIComponent(match[1] ?? '');
  } catch {
    return '';
  }
  return label.slice(label.indexOf(':') + 1).trim();
}
