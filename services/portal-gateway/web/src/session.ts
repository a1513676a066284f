/**
 * The citizen's session: the bearer token in sessionStorage (gone when the
 * tab closes; never in a cookie, so no CSRF; the strict CSP keeps foreign
 * scripts from reading it).
 */
export interface Session {
  readonly token: string;
  readonly personId: string;
  readonly name: string;
  readonly expiresAt: number;
}

const KEY = 'buergerservice.session';

export function currentSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    if (session.expiresAt <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return undefined;
    }
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function endSession(): void {
  sessionStorage.removeItem(KEY);
}
