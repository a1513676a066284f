import { ApiError, type Bundle, download, getJson, newIdempotencyKey, postJson, type Step } from '../api.js';
import { announce, type Cleanup, h } from '../dom.js';
import { formatDateTime, hasText, t } from '../i18n.js';

function stepTitle(step: Step): string {
  switch (step.kind) {
    case 'registration':
      return t('step.registration');
    case 'vehicle-holder-address':
      return t('step.vehicle-holder-address', { plate: step.plate ?? '' });
    case 'registration-confirmation':
      return t('step.registration-confirmation', { person: step.displayName || step.personId || '' });
    case 'vehicle-registration-record':
      return t('step.vehicle-registration-record', { plate: step.plate ?? '' });
    case 'id-card-sticker-order':
      return t('step.id-card-sticker-order');
    case 'appointment':
      return t('step.appointment');
  }
}

function stateText(step: Step): string {
  return step.awaitingRevocation ? t('status.awaitingRevocation') : t(`status.state.${step.state}`);
}

interface StreamTicket {
  ticket: string;
  eventsUrl: string;
}

/**
 * The live status of one request: each authority's step turns done as its
 * event arrives (Server-Sent Events), without reloading. Changes are
 * announced to screen readers through the polite live region.
 */
export function renderStatus(main: HTMLElement, bundleId: string): Cleanup {
  let active = true;
  let source: EventSource | undefined;
  let retryTimer: number | undefined;
  let failures = 0;
  let previous = new Map<string, string>();
  let wasComplete = false;
  const rows = new Map<string, { json: string; li: HTMLLIElement }>();

  const badge = h('span', { class: 'badge', id: 'bundle-status' });
  const connection = h('p', { class: 'muted', id: 'connection-status' }, t('status.live'));
  const list = h('ol', { class: 'steps', id: 'steps', 'aria-label': t('status.title') });
  const actions = h('div', { class: 'bundle-actions' });
  const message = h('p', { role: 'status', class: 'form-status' });
  main.append(h('h1', {}, t('status.title')), h('p', {}, badge), connection, list, actions, message);

  function renderStep(step: Step): HTMLLIElement {
    const details: (HTMLElement | string)[] = [];
    if (step.reason) {
      const key = `reason.${step.reason}`;
      details.push(h('p', { class: 'reason' }, step.message || (hasText(key) ? t(key) : step.reason)));
    }
    const documentStep = step.kind === 'registration-confirmation' || step.kind === 'vehicle-registration-record';
    if (documentStep && step.state === 'done' && step.documentId) {
      const documentId = step.documentId;
      details.push(
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            'data-download': documentId,
            onclick: () => {
              download(
                `/api/documents/${encodeURIComponent(documentId)}/pdf`,
                `${step.documentNumber || documentId}.pdf`,
              ).catch(() => {
                message.textContent = t('error.generic');
              });
            },
          },
          t('step.downloadFor', { document: stepTitle(step) }),
        ),
      );
    }
    if (step.kind === 'appointment' && step.appointment) {
      const appointment = step.appointment;
      details.push(h('p', {}, t('step.appointmentAt', { date: formatDateTime(appointment.start) })));
      if (step.state === 'done') {
        details.push(
          h(
            'button',
            {
              type: 'button',
              class: 'button',
              onclick: () => {
                download(`/api/appointments/${encodeURIComponent(appointment.appointmentId)}.ics`, 'termin.ics').catch(
                  () => {
                    message.textContent = t('error.generic');
                  },
                );
              },
            },
            t('step.calendar'),
          ),
        );
      }
    }
    if (step.kind === 'appointment' && step.state === 'pending' && step.offer && step.offer.slots.length > 0) {
      details.push(
        h('p', {}, t('step.offer')),
        h(
          'ul',
          { class: 'slot-list' },
          ...step.offer.slots.map((slot) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'button',
                  onclick: (event: Event) => {
                    const button = event.currentTarget as HTMLButtonElement;
                    button.disabled = true;
                    postJson(
                      '/api/appointments',
                      { bundleId, serviceId: slot.serviceId, locationId: slot.locationId, start: slot.start },
                      newIdempotencyKey(),
                    )
                      .then(() => {
                        message.textContent = t('step.booked');
                      })
                      .catch((error: unknown) => {
                        button.disabled = false;
                        message.textContent =
                          error instanceof ApiError ? (error.problem.detail ?? t('error.generic')) : t('error.generic');
                      });
                  },
                },
                t('step.book', { date: formatDateTime(slot.start) }),
              ),
            ),
          ),
        ),
      );
    }
    return h(
      'li',
      { class: `step step--${step.state}`, 'data-step': step.key, 'data-state': step.state },
      h('span', { class: 'step__title' }, stepTitle(step)),
      ' ',
      h('span', { class: `state state--${step.state}`, 'data-state-label': '' }, stateText(step)),
      ...details,
    );
  }

  function renderActions(bundle: Bundle): void {
    actions.replaceChildren();
    if (bundle.revokedAt || !bundle.moveId || bundle.status === 'revoked' || bundle.status === 'revoking') return;
    if (bundle.revocableUntil && Date.parse(bundle.revocableUntil) < Date.now()) return;
    const confirm = h(
      'div',
      { class: 'confirm', hidden: true, role: 'group', 'aria-labelledby': 'revoke-question' },
      h('p', { id: 'revoke-question' }, t('revoke.confirm')),
      h(
        'button',
        {
          type: 'button',
          class: 'button button--danger',
          id: 'revoke-yes',
          onclick: () => {
            postJson(`/api/bundles/${encodeURIComponent(bundleId)}/revoke`, {}, newIdempotencyKey())
              .then(() => {
                message.textContent = t('revoke.accepted');
                actions.replaceChildren();
              })
              .catch((error: unknown) => {
                message.textContent =
                  error instanceof ApiError ? (error.problem.detail ?? t('error.generic')) : t('error.generic');
              });
          },
        },
        t('revoke.yes'),
      ),
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          onclick: () => {
            confirm.hidden = true;
            start.focus();
          },
        },
        t('revoke.no'),
      ),
    );
    const start = h(
      'button',
      {
        type: 'button',
        class: 'button',
        id: 'revoke',
        onclick: () => {
          confirm.hidden = false;
          (confirm.querySelector('#revoke-yes') as HTMLElement | null)?.focus();
        },
      },
      t('revoke.button'),
    );
    actions.append(
      bundle.revocableUntil
        ? h('p', { class: 'muted' }, t('revoke.until', { date: formatDateTime(bundle.revocableUntil) }))
        : '',
      start,
      confirm,
    );
  }

  function show(bundle: Bundle): void {
    if (!active) return;
    badge.className = `badge badge--${bundle.status}`;
    badge.textContent = t(`status.bundle.${bundle.status}`);
    list.setAttribute('data-complete', String(bundle.complete));
    const focusedStep = (document.activeElement?.closest('[data-step]') as HTMLElement | null)?.dataset.step;
    const seen = new Set<string>();
    bundle.steps.forEach((step, index) => {
      seen.add(step.key);
      const json = JSON.stringify(step);
      const existing = rows.get(step.key);
      if (existing?.json === json && list.children[index] === existing.li) return;
      const li = renderStep(step);
      if (existing) existing.li.replaceWith(li);
      else list.insertBefore(li, list.children[index] ?? null);
      rows.set(step.key, { json, li });
      if (focusedStep === step.key) (li.querySelector('button') ?? li).focus();
    });
    for (const [key, row] of rows) {
      if (!seen.has(key)) {
        row.li.remove();
        rows.delete(key);
      }
    }
    // Announce what changed (not the first picture).
    const states = new Map(bundle.steps.map((s) => [s.key, stateText(s)]));
    if (previous.size > 0) {
      for (const step of bundle.steps) {
        const before = previous.get(step.key);
        const now = states.get(step.key);
        if (before !== now && now) announce(t('status.announce', { step: stepTitle(step), state: now }));
      }
      if (bundle.complete && !wasComplete) announce(t('status.complete'));
    }
    previous = states;
    wasComplete = bundle.complete;
    // The stream stays open while the page is shown: a revocation may still follow.
    renderActions(bundle);
  }

  function closeStream(): void {
    source?.close();
    source = undefined;
    if (retryTimer !== undefined) window.clearTimeout(retryTimer);
    retryTimer = undefined;
  }

  /** Opens the live stream with a fresh one-minute ticket; reconnects with a new ticket after a failure. */
  async function connect(): Promise<void> {
    if (!active) return;
    try {
      const ticket = await postJson<StreamTicket>(
        `/api/bundles/${encodeURIComponent(bundleId)}/stream-tickets`,
        {},
        newIdempotencyKey(),
      );
      if (!active) return;
      const stream = new EventSource(ticket.eventsUrl);
      source = stream;
      stream.addEventListener('status', (event) => {
        failures = 0;
        connection.textContent = t('status.live');
        show(JSON.parse((event as MessageEvent<string>).data) as Bundle);
      });
      stream.addEventListener('error', () => {
        // EventSource would retry with the same (soon expired) ticket; reconnect with a new one instead.
        stream.close();
        if (source === stream) source = undefined;
        scheduleReconnect();
      });
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 404) {
        message.textContent = error.problem.detail ?? t('error.generic');
        return;
      }
      scheduleReconnect();
    }
  }

  function scheduleReconnect(): void {
    if (!active || retryTimer !== undefined) return;
    failures += 1;
    if (failures > 1) connection.textContent = t('status.connectionLost');
    const delay = Math.min(30_000, 1_000 * 2 ** Math.min(failures - 1, 5));
    retryTimer = window.setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  }

  getJson<Bundle>(`/api/bundles/${encodeURIComponent(bundleId)}`)
    .then((bundle) => {
      show(bundle);
      void connect();
    })
    .catch((error: unknown) => {
      message.textContent =
        error instanceof ApiError ? (error.problem.detail ?? t('error.generic')) : t('error.generic');
    });

  return () => {
    active = false;
    closeStream();
  };
}
