import { type DocumentInfo, download, getJson } from '../api.js';
import { type Cleanup, h } from '../dom.js';
import { formatDate, t } from '../i18n.js';

export function documentLabel(document: DocumentInfo): string {
  return t(`documents.kind.${document.kind}`);
}

/** "My documents": download the PDFs. */
export function renderDocuments(main: HTMLElement): Cleanup {
  const list = h('ul', { class: 'card-list', 'aria-busy': 'true' }, h('li', {}, t('loading')));
  const status = h('p', { role: 'status' });
  main.append(h('h1', {}, t('documents.title')), list, status);
  let active = true;
  getJson<{ items: DocumentInfo[] }>('/api/documents')
    .then(({ items }) => {
      if (!active) return;
      list.replaceChildren(
        ...(items.length === 0
          ? [h('li', {}, t('documents.empty'))]
          : items.map((doc) =>
              h(
                'li',
                { class: 'card', 'data-document-id': doc.documentId },
                h('strong', {}, documentLabel(doc)),
                ' ',
                doc.plate ? `${doc.plate} ` : '',
                h('span', {}, t('documents.number', { number: doc.documentNumber })),
                doc.issuedAt ? h('span', { class: 'muted' }, ` · ${formatDate(doc.issuedAt)}`) : '',
                ' ',
                h('span', { class: `badge badge--${doc.status}` }, t(`documents.status.${doc.status}`)),
                doc.downloadable
                  ? h(
                      'p',
                      {},
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'button',
                          onclick: () => {
                            download(
                              `/api/documents/${encodeURIComponent(doc.documentId)}/pdf`,
                              `${doc.documentNumber || doc.documentId}.pdf`,
                            ).catch(() => {
                              status.textContent = t('error.generic');
                            });
                          },
                        },
                        t('step.downloadFor', { document: documentLabel(doc) }),
                      ),
                    )
                  : '',
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
