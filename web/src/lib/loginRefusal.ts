// What the login page says for each refusal of POST /auth/login (../../docs/api.md).
import type { ApiError } from '../api/problem';

export interface LoginRefusal {
  message: string;
  askForCode: boolean;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

// `recovery`: the code sent was a recovery code (each works once; there is no "next" one to wait for).
export function loginRefusal(error: ApiError, recovery = false): LoginRefusal {
  switch (error.kind) {
    case 'two-factor-required':
      return { message: 'Enter the verification code from your authenticator app.', askForCode: true };
    case 'two-factor-invalid':
      return {
        message: recovery
          ? 'That recovery code is wrong or was already used: each recovery code works once. Try another of your saved recovery codes.'
          : 'That verification code is wrong or was already used. Wait for the next code and try again.',
        askForCode: true,
      };
    case 'ip-not-allowed':
      return {
        message: `Sign-in from your network is not allowed by this workspace's IP whitelist. ${error.message}. Ask an administrator to add your address.`,
        askForCode: false,
      };
  }
  if (error.status === 429) {
    const wait = error.retryAfter !== null ? ` Try again in ${formatWait(error.retryAfter)}.` : ' Try again later.';
    return { message: `Too many failed attempts: sign-in is locked for now.${wait}`, askForCode: false };
  }
  if (error.status === 401) return { message: 'Wrong email or password.', askForCode: false };
  if (error.status === 400) return { message: error.message, askForCode: false };
  return { message: `Sign-in failed: ${error.message}`, askForCode: false };
}
