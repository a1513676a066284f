import { getJson } from '../api.js';
import { type Cleanup, h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';

interface Verification {
  result: 'valid' | 'revoked' | 'unknown';
  signedFields?: Record<string, string>;
}

/** Public: check a document by the code printed on it (no sign-in). */
export function renderVerify(main: HTMLElement, code: string | undefined): Cleanup {
  const inputId = uid('verify-code');
  const input = h('input', {
    id: inputId,
    name: 'code',
    autocomplete: 'off',
    required: true,
    value: code ?? '',
    pattern: '[A-Za-z0-9-]{4,64}',
  });
  const result = h('div', { role: 'status', class: 'verify-result' });
  const form = h(
    'form',
    {
      class: 'form',
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (value) navigate({ name: 'verify', code: value });
      },
    },
    h('div', { class: 'field' }, h('label', { for: inputId }, t('verify.code')), input),
    h('button', { type: 'submit', class: 'button button--primary' }, t('verify.submit')),
  );
  main.append(h('h1', {}, t('verify.title')), form, result);
  let active = true;
  if (code) {
    getJson<Verification>(`/api/verify/${encodeURIComponent(code)}`)
      .then((verification) => {
        if (!active) return;
        result.replaceChildren(
          h('p', { class: `badge badge--${verification.result}` }, t(`verify.${verification.result}`)),
          verification.signedFields
            ? h(
                'dl',
                { class: 'fields' },
                ...Object.entries(verification.signedFields).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
              )
            : '',
        );
      })
      .catch(() => {
        result.textContent = t('verify.unknown');
      });
  }
  return () => {
    active = false;
  };
}
