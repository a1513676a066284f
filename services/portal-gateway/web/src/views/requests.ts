import { type Bundle, getJson } from '../api.js';
import { type Cleanup, h } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { href } from '../router.js';

/** "My requests": every bundle of the citizen with its overall status. */
export function renderRequests(main: HTMLElement): Cleanup {
  const list = h('ul', { class: 'card-list', 'aria-busy': 'true' }, h('li', {}, t('loading')));
  main.append(h('h1', {}, t('requests.title')), list);
  let active = true;
  getJson<{ items: Bundle[] }>('/api/bundles')
    .then(({ items }) => {
      if (!active) return;
      list.replaceChildren(
        ...(items.length === 0
          ? [h('li', {}, t('requests.empty'), ' ', h('a', { href: href({ name: 'move' }) }, t('nav.new')))]
          : items.map((bundle) =>
              h(
                'li',
                { class: 'card' },
                h(
                  'a',
                  { href: href({ name: 'status', bundleId: bundle.bundleId }) },
                  t('requests.open', { date: formatDateTime(bundle.submittedAt) }),
                ),
                ' ',
                h('span', { class: `badge badge--${bundle.status}` }, t(`status.bundle.${bundle.status}`)),
              ),
            )),
      );
      list.setAttribute('aria-busy', 'false');
    })
    .catch(() => {
      list.replaceChildren(h('li', { role: 'alert' }, t('error.generic')));
    });
  return () => {
    active = false;
  };
}
