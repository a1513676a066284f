import { ApiError, getJson } from '../api.js';
import { type Cleanup, h } from '../dom.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { saveSession } from '../session.js';

interface DemoCitizen {
  personId: string;
  name: string;
}

/** Sign-in: with the development issuer, one button per demo citizen; otherwise the BundID notice. */
export function renderSignIn(main: HTMLElement, devIssuer: boolean): Cleanup {
  const status = h('p', { role: 'status', class: 'form-status' });
  const list = h('ul', { class: 'choice-list' });
  main.append(
    h('h1', {}, t('signIn.title')),
    h('p', {}, t('signIn.intro')),
    devIssuer ? h('h2', {}, t('signIn.dev')) : h('p', { class: 'notice' }, t('signIn.production')),
    list,
    status,
  );
  if (!devIssuer) return () => undefined;
  let active = true;
  getJson<{ items: DemoCitizen[] }>('/dev-issuer/citizens')
    .then(({ items }) => {
      if (!active) return;
      for (const citizen of items) {
        list.appendChild(
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'button button--primary',
                'data-person-id': citizen.personId,
                onclick: () => void signIn(citizen, status),
              },
              t('signIn.as', { name: citizen.name }),
            ),
          ),
        );
      }
    })
    .catch(() => {
      status.textContent = t('error.generic');
    });
  return () => {
    active = false;
  };
}

async function signIn(citizen: DemoCitizen, status: HTMLElement): Promise<void> {
  status.textContent = t('loading');
  try {
    const response = await fetch('/dev-issuer/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ personId: citizen.personId }),
    });
    if (!response.ok) throw new ApiError(await response.json());
    const token = (await response.json()) as { access_token: string; expires_in: number };
    saveSession({
      token: token.access_token,
      personId: citizen.personId,
      name: citizen.name,
      expiresAt: Date.now() + token.expires_in * 1000,
    });
    status.textContent = '';
    navigate({ name: 'move' });
  } catch {
    status.textContent = t('error.generic');
  }
}
