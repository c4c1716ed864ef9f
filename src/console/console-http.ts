import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** Name of the session cookie; its path keeps it to the console's own requests. */
export const SESSION_COOKIE = 'console_session';
const COOKIE_PATH = '/console';

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it: with POST-only
 * sign-in and sign-out, the CSRF defence), Secure when the request came over https.
 */
export function setSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.append('Set-Cookie', cookie(req, `${SESSION_COOKIE}=${token}`, maxAgeSeconds));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', cookie(req, `${SESSION_COOKIE}=`, 0));
}

function cookie(req: Request, value: string, maxAgeSeconds: number): string {
  return [
    value,
    `Path=${COOKIE_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(req.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * A POST from another origin is refused even before the cookie is looked at: browsers send
 * `Origin` with every POST, and only this host's own forms may sign in or out.
 */
export function isCrossOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * An HTML answer with a strict policy: no script may run, styles only from the page's own
 * nonce-tagged block, forms only to this origin, never framed, never cached.
 */
export function sendPage(res: Response, status: number, render: (nonce: string) => string): void {
  const nonce = randomBytes(16).toString('hex');
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      // same-origin, not no-referrer: with no-referrer a browser posts the console's own forms with `Origin: null`.
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    })
    .send(render(nonce));
}
