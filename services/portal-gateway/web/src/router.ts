/** Hash routes, so the gateway serves one page and needs no server-side routing. */
export type Route =
  | { name: 'sign-in' }
  | { name: 'move' }
  | { name: 'requests' }
  | { name: 'status'; bundleId: string }
  | { name: 'documents' }
  | { name: 'verify'; code?: string };

export function parseRoute(hash: string): Route | undefined {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case undefined:
      return undefined;
    case 'anmelden':
      return { name: 'sign-in' };
    case 'umzug':
      return { name: 'move' };
    case 'antraege':
      return parts[1] ? { name: 'status', bundleId: decodeURIComponent(parts[1]) } : { name: 'requests' };
    case 'dokumente':
      return { name: 'documents' };
    case 'pruefen':
      return parts[1] ? { name: 'verify', code: decodeURIComponent(parts[1]) } : { name: 'verify' };
    default:
      return undefined;
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'sign-in':
      return '#/anmelden';
    case 'move':
      return '#/umzug';
    case 'requests':
      return '#/antraege';
    case 'status':
      return `#/antraege/${encodeURIComponent(route.bundleId)}`;
    case 'documents':
      return '#/dokumente';
    case 'verify':
      return route.code ? `#/pruefen/${encodeURIComponent(route.code)}` : '#/pruefen';
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}
