// A local estimate of how hard a new password is to guess, for the meter beside the password
// field. It is advice only: the server's policy (../../../src/auth/password.cc: at least 10
// characters, not the email, not one of ~49,000 common passwords) decides, and its refusal is
// shown on the field. The estimate counts the characters an attacker must really guess:
// repeats, keyboard or alphabet runs, common words and parts of the user's own name or email
// count for little, the rest for log2 of the alphabet they are drawn from.

export const minPasswordLength = 10;

export type StrengthLabel = 'Too short' | 'Weak' | 'Fair' | 'Good' | 'Strong';

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  label: StrengthLabel;
  bits: number;
  // What would make the password better, in words; empty when there is nothing to say.
  hints: string[];
}

// A few words that guessers try first (the server holds the real list). Lower case, ≥ 4 letters.
const commonWords = [
  'password', 'passwort', 'qwerty', 'qwertz', 'azerty', 'asdf', 'zxcv', 'letmein', 'welcome',
  'admin', 'administrator', 'login', 'monkey', 'dragon', 'master', 'iloveyou', 'sunshine',
  'princess', 'football', 'baseball', 'superman', 'batman', 'trustno1', 'secret', 'changeme',
  'default', 'gatehouse', 'summer', 'winter', 'spring', 'autumn', 'hello', 'shadow', 'freedom',
  'whatever', 'computer', 'internet', 'company', 'test', 'guest', 'user', 'root',
];

const keyboardRows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'yxcvbnm'];

// Leetspeak back to letters, so "P@ssw0rd" is found as "password".
const leet: Record<string, string> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '!': 'i' };

function unleet(text: string): string {
  return Array.from(text.toLowerCase(), (c) => leet[c] ?? c).join('');
}

function alphabetSize(chars: string[]): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  let other = false;
  for (const c of chars) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else if (c.charCodeAt(0) < 128) symbol = true;
    else other = true;
  }
  return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
}

// True when `c` continues a run that ends in `prev`: the same character, the next or previous
// one in the alphabet or on a keyboard row.
function continuesRun(prev: string, c: string): boolean {
  const a = prev.toLowerCase();
  const b = c.toLowerCase();
  if (a === b) return true;
  const diff = b.charCodeAt(0) - a.charCodeAt(0);
  if (diff === 1 || diff === -1) return true;
  return keyboardRows.some((row) => {
    const i = row.indexOf(a);
    return i >= 0 && (row[i + 1] === b || (i > 0 && row[i - 1] === b));
  });
}

// The user's own words: the email's local part and domain labels, the name's parts.
function personalWords(email: string | undefined, name: string | undefined): string[] {
  const parts = [
    ...(email ?? '').toLowerCase().split(/[@.+_\-\s]+/),
    ...(name ?? '').toLowerCase().split(/[\s.\-_]+/),
  ];
  return parts.filter((p) => p.length >= 3);
}

export function estimateStrength(password: string, context: { email?: string; name?: string } = {}): Strength {
  const chars = Array.from(password);
  const hints: string[] = [];
  // Guessable stretches: a found word counts as one character, a run's continuation as a
  // quarter of one.
  const weight: number[] = chars.map((c, i) => (i > 0 && continuesRun(chars[i - 1] ?? '', c) ? 0.25 : 1));
  const plain = unleet(password);
  const mark = (word: string) => {
    let found = false;
    for (let at = plain.indexOf(word); at >= 0; at = plain.indexOf(word, at + 1)) {
      found = true;
      // Code points and UTF-16 indexes agree for the ASCII words we look for.
      for (let i = at + 1; i < at + word.length && i < weight.length; i++) weight[i] = 0;
    }
    return found;
  };
  const personal = personalWords(context.email, context.name).filter(mark);
  const common = commonWords.filter(mark);
  if (/(19|20)\d\d/.test(password)) hints.push('A year is easy to guess.');
  const effective = weight.reduce((sum, w) => sum + w, 0);
  const bits = Math.round(effective * Math.log2(Math.max(alphabetSize(chars), 1)));

  if (chars.length < minPasswordLength) hints.unshift(`Use at least ${minPasswordLength} characters.`);
  if (personal.length > 0) hints.push('Avoid your name or email address.');
  if (common.length > 0) hints.push(`Avoid common words such as "${common[0]}".`);
  if (weight.some((w) => w === 0.25)) hints.push('Avoid repeated characters and sequences like "abc" or "123".');

  let score: Strength['score'];
  if (chars.length < minPasswordLength) score = 0;
  else if (bits < 40) score = 1;
  else if (bits < 60) score = 2;
  else if (bits < 80) score = 3;
  else score = 4;
  if (score > 0 && score < 3 && hints.length === 0) hints.push('Make it longer: a few unrelated words work well.');
  const labels: StrengthLabel[] = ['Too short', 'Weak', 'Fair', 'Good', 'Strong'];
  return { score, label: labels[score] ?? 'Too short', bits, hints };
}
