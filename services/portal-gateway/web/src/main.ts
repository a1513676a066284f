import './styles.css';
import { getJson } from './api.js';
import { type Cleanup, clear, h } from './dom.js';
import { initialLanguage, language, setLanguage, t } from './i18n.js';
import { href, navigate, parseRoute, type Route } from './router.js';
import { currentSession, endSession } from './session.js';
import { renderDocuments } from './views/documents.js';
import { renderMoveForm } from './views/move-form.js';
import { renderRequests } from './views/requests.js';
import { renderSignIn } from './views/sign-in.js';
import { renderStatus } from './views/status.js';
import { renderVerify } from './views/verify.js';

interface PortalConfig {
  devIssuer: boolean;
}

let config: PortalConfig = { devIssuer: false };
let cleanup: Cleanup | undefined;
let firstRender = true;

function requireMain(): HTMLElement {
  const main = document.getElementById('main');
  if (!main) throw new Error('no <main>');
  return main;
}

function renderChrome(): void {
  const skip = document.getElementById('skip-link');
  if (skip) skip.textContent = t('skip.link');
  const title = document.getElementById('site-title');
  if (title) title.textContent = t('app.title');
  const banner = document.getElementById('dev-banner');
  if (banner) {
    banner.hidden = !config.devIssuer;
    banner.textContent = t('dev.banner');
  }
  const switcher = document.getElementById('language-switch');
  if (switcher) {
    switcher.textContent = t('language.switch');
    switcher.setAttribute('lang', t('language.switchLang'));
  }
  const nav = document.getElementById('main-nav');
  if (!nav) return;
  nav.setAttribute('aria-label', t('nav.label'));
  clear(nav);
  const session = currentSession();
  const current = parseRoute(window.location.hash)?.name;
  const link = (route: Route, label: string) =>
    h('a', { href: href(route), 'aria-current': current === route.name ? 'page' : undefined }, label);
  const items = session
    ? [
        link({ name: 'move' }, t('nav.new')),
        link({ name: 'requests' }, t('nav.requests')),
        link({ name: 'documents' }, t('nav.documents')),
        link({ name: 'verify' }, t('nav.verify')),
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            onclick: () => {
              endSession();
              navigate({ name: 'sign-in' });
              render();
            },
          },
          t('nav.signOut'),
        ),
      ]
    : [link({ name: 'sign-in' }, t('nav.signIn')), link({ name: 'verify' }, t('nav.verify'))];
  nav.appendChild(h('ul', {}, ...items.map((item) => h('li', {}, item))));
  if (session) nav.appendChild(h('p', { class: 'signed-in-as' }, t('signIn.signedInAs', { name: session.name })));
}

/** Renders the view of the current hash; protected views send a signed-out citizen to sign in. */
export function render(): void {
  cleanup?.();
  cleanup = undefined;
  const main = requireMain();
  clear(main);
  const session = currentSession();
  let route = parseRoute(window.location.hash);
  if (!route) route = session ? { name: 'requests' } : { name: 'sign-in' };
  const isPublic = route.name === 'sign-in' || route.name === 'verify';
  if (!session && !isPublic) route = { name: 'sign-in' };
  renderChrome();
  switch (route.name) {
    case 'sign-in':
      cleanup = renderSignIn(main, config.devIssuer);
      break;
    case 'move':
      cleanup = renderMoveForm(main);
      break;
    case 'requests':
      cleanup = renderRequests(main);
      break;
    case 'status':
      cleanup = renderStatus(main, route.bundleId);
      break;
    case 'documents':
      cleanup = renderDocuments(main);
      break;
    case 'verify':
      cleanup = renderVerify(main, route.code);
      break;
  }
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    document.title = `${heading.textContent ?? ''} – ${t('app.title')}`;
    // Move focus to the new page's heading, as a screen reader user expects after navigating.
    if (!firstRender) heading.focus();
  }
  firstRender = false;
}

async function start(): Promise<void> {
  setLanguage(initialLanguage());
  try {
    config = await getJson<PortalConfig>('/api/config');
  } catch {
    config = { devIssuer: false };
  }
  document.getElementById('language-switch')?.addEventListener('click', () => {
    setLanguage(language() === 'de' ? 'en' : 'de');
    render();
  });
  window.addEventListener('hashchange', render);
  render();
}

void start();
