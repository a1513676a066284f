import {
  type BundleInput,
  LANDLORD_REFERENCE_PATTERN,
  PERSON_ID_PATTERN,
  PLATE_PATTERN,
  POSTAL_CODE_PATTERN,
  type RuleViolation,
  validateBundle,
} from '../../../src/shared/bundle-rules.js';
import { ApiError, type Bundle, getJson, newIdempotencyKey, postJson } from '../api.js';
import { type Cleanup, h, uid } from '../dom.js';
import { hasText, t, type TextKey } from '../i18n.js';
import { navigate } from '../router.js';

interface AddressDraft {
  street: string;
  houseNumber: string;
  houseNumberSuffix: string;
  postalCode: string;
  municipality: string;
  municipalityKey: string;
}

/** What the citizen typed; kept across language switches and re-renders. */
interface Draft {
  kind: 'within-city' | 'into-city';
  moveInDate: string;
  residenceType: 'main' | 'secondary';
  newAddress: AddressDraft;
  previousAddress: AddressDraft;
  landlord: string;
  members: string[];
  vehicles: string[];
  otherPlates: string[];
  documents: ('registration-confirmation' | 'vehicle-registration-record')[];
  appointment: {
    wanted: boolean;
    autoBook: boolean;
    locationId: string;
    earliestDate: string;
    interpreterLanguage: string;
  };
}

const emptyAddress = (municipality = ''): AddressDraft => ({
  street: '',
  houseNumber: '',
  houseNumberSuffix: '',
  postalCode: '',
  municipality,
  municipalityKey: '',
});

function freshDraft(): Draft {
  return {
    kind: 'within-city',
    moveInDate: '',
    residenceType: 'main',
    newAddress: emptyAddress('Leipzig'),
    previousAddress: emptyAddress(),
    landlord: '',
    members: [''],
    vehicles: [],
    otherPlates: [],
    documents: ['registration-confirmation', 'vehicle-registration-record'],
    appointment: { wanted: true, autoBook: true, locationId: '', earliestDate: '', interpreterLanguage: '' },
  };
}

let draft: Draft = freshDraft();
/** The Idempotency-Key of the last submitted body: a retry of the same body reuses it. */
let lastSubmission: { body: string; key: string } | undefined;

const clean = (value: string) => value.trim();
const plate = (value: string) => value.trim().toUpperCase().replace(/\s+/g, ' ');

function addressBody(a: AddressDraft, previous: boolean) {
  return {
    street: clean(a.street),
    houseNumber: clean(a.houseNumber),
    ...(clean(a.houseNumberSuffix) ? { houseNumberSuffix: clean(a.houseNumberSuffix) } : {}),
    postalCode: clean(a.postalCode),
    municipality: clean(a.municipality),
    ...(previous || clean(a.municipalityKey) ? { municipalityKey: clean(a.municipalityKey) } : {}),
  };
}

/** The request body, with the order of plates the field map below relies on (checked vehicles, then others). */
function toBody(d: Draft): BundleInput {
  const plates = [...d.vehicles, ...d.otherPlates.map(plate).filter(Boolean)];
  return {
    move: {
      kind: d.kind,
      moveInDate: d.moveInDate,
      residenceType: d.residenceType,
      newAddress: addressBody(d.newAddress, false),
      ...(d.kind === 'into-city' ? { previousAddress: addressBody(d.previousAddress, true) } : {}),
      landlordConfirmationReference: clean(d.landlord),
    },
    householdMemberIds: d.members.map((m) => clean(m).toUpperCase()).filter(Boolean),
    vehiclePlates: plates,
    documents: [...d.documents],
    appointment: {
      wanted: d.appointment.wanted,
      autoBook: d.appointment.wanted && d.appointment.autoBook,
      ...(d.appointment.wanted && d.appointment.locationId ? { locationId: d.appointment.locationId } : {}),
      ...(d.appointment.wanted && d.appointment.earliestDate ? { earliestDate: d.appointment.earliestDate } : {}),
      ...(d.appointment.wanted && d.appointment.interpreterLanguage
        ? { interpreterLanguage: d.appointment.interpreterLanguage }
        : {}),
    },
  };
}

interface FieldRef {
  readonly inputId: string;
  readonly label: string;
  readonly errorSlot: HTMLElement;
  readonly input: HTMLElement;
}

interface Vehicle {
  plate: string;
  make: string;
  model: string;
}
interface Location {
  locationId: string;
  name: string;
}

/** The change-of-address form with client-side validation mirroring the API's rules. */
export function renderMoveForm(main: HTMLElement): Cleanup {
  let active = true;
  const fields = new Map<string, FieldRef>();
  const vehicleBox = h('div', { class: 'vehicle-list' }, t('loading'));
  const locationSelectHolder = h('div');
  let vehicles: Vehicle[] = [];
  let locations: Location[] = [];

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const formStatus = h('p', { class: 'form-status', role: 'status' });

  function field(
    pointer: string,
    labelKey: TextKey,
    input: HTMLInputElement | HTMLSelectElement,
    options: {
      required?: boolean;
      hint?: TextKey;
      labelValues?: Record<string, string | number>;
      extra?: HTMLElement;
    } = {},
  ): HTMLElement {
    const id = input.id || uid('field');
    input.id = id;
    input.setAttribute('data-pointer', pointer);
    const label = t(labelKey, options.labelValues);
    const errorSlot = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const hintId = options.hint ? `${id}-hint` : undefined;
    if (options.required) input.setAttribute('aria-required', 'true');
    input.setAttribute('aria-describedby', [hintId, `${id}-error`].filter(Boolean).join(' '));
    fields.set(pointer, { inputId: id, label, errorSlot, input });
    // Editing a field takes back its error message; the next submit checks again.
    input.addEventListener('input', () => {
      errorSlot.hidden = true;
      input.removeAttribute('aria-invalid');
    });
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label, options.required ? h('span', { 'aria-hidden': 'true' }, ' *') : ''),
      options.hint ? h('p', { class: 'hint', id: hintId }, t(options.hint)) : '',
      input,
      options.extra ?? '',
      errorSlot,
    );
  }

  function text(
    value: string,
    onInput: (v: string) => void,
    attrs: Record<string, string | boolean | undefined> = {},
  ): HTMLInputElement {
    return h('input', {
      type: 'text',
      value,
      ...attrs,
      oninput: (event: Event) => onInput((event.target as HTMLInputElement).value),
    });
  }

  function addressFields(prefix: string, address: AddressDraft, previous: boolean): HTMLElement[] {
    const set = (key: keyof AddressDraft) => (v: string) => {
      address[key] = v;
    };
    return [
      field(
        `${prefix}/street`,
        'form.street',
        text(address.street, set('street'), { autocomplete: previous ? undefined : 'address-line1', maxlength: '100' }),
        { required: true },
      ),
      h(
        'div',
        { class: 'field-row' },
        field(
          `${prefix}/houseNumber`,
          'form.houseNumber',
          text(address.houseNumber, set('houseNumber'), {
            inputmode: 'numeric',
            pattern: '[1-9][0-9]{0,4}',
            size: '6',
          }),
          { required: true },
        ),
        field(
          `${prefix}/houseNumberSuffix`,
          'form.houseNumberSuffix',
          text(address.houseNumberSuffix, set('houseNumberSuffix'), { size: '3', maxlength: '2' }),
        ),
      ),
      h(
        'div',
        { class: 'field-row' },
        field(
          `${prefix}/postalCode`,
          'form.postalCode',
          text(address.postalCode, set('postalCode'), {
            inputmode: 'numeric',
            pattern: POSTAL_CODE_PATTERN.slice(1, -1),
            autocomplete: previous ? undefined : 'postal-code',
            size: '6',
          }),
          { required: true },
        ),
        field(
          `${prefix}/municipality`,
          'form.municipality',
          text(address.municipality, set('municipality'), { autocomplete: previous ? undefined : 'address-level2' }),
          { required: true },
        ),
      ),
      previous
        ? field(
            `${prefix}/municipalityKey`,
            'form.municipalityKey',
            text(address.municipalityKey, set('municipalityKey'), { inputmode: 'numeric', size: '9' }),
            { required: true },
          )
        : '',
    ].filter((e): e is HTMLElement => e !== '');
  }

  function radio(
    name: string,
    value: string,
    checked: boolean,
    labelKey: TextKey,
    onChange: () => void,
    pointer?: string,
  ) {
    const id = uid(name);
    const input = h('input', { type: 'radio', name, value, id, checked, onchange: onChange });
    if (pointer) input.setAttribute('data-pointer', pointer);
    return h('div', { class: 'choice' }, input, h('label', { for: id }, t(labelKey)));
  }

  function checkbox(
    id: string,
    checked: boolean,
    label: string,
    onChange: (checked: boolean) => void,
    pointer?: string,
  ) {
    const input = h('input', {
      type: 'checkbox',
      id,
      checked,
      onchange: (event: Event) => onChange((event.target as HTMLInputElement).checked),
    });
    if (pointer) input.setAttribute('data-pointer', pointer);
    return h('div', { class: 'choice' }, input, h('label', { for: id }, label));
  }

  const form = h('form', { class: 'form', novalidate: true, onsubmit: (event: Event) => void submit(event) });

  function build(): void {
    fields.clear();
    const moveSet = h(
      'fieldset',
      {},
      h('legend', {}, t('form.move')),
      h(
        'fieldset',
        { class: 'choices' },
        h('legend', {}, t('form.kind')),
        radio(
          'kind',
          'within-city',
          draft.kind === 'within-city',
          'form.kind.within-city',
          () => {
            draft.kind = 'within-city';
            rebuild();
          },
          '/move/kind',
        ),
        radio('kind', 'into-city', draft.kind === 'into-city', 'form.kind.into-city', () => {
          draft.kind = 'into-city';
          rebuild();
        }),
      ),
      field(
        '/move/moveInDate',
        'form.moveInDate',
        h('input', {
          type: 'date',
          value: draft.moveInDate,
          oninput: (event: Event) => {
            draft.moveInDate = (event.target as HTMLInputElement).value;
          },
        }),
        { required: true },
      ),
      field(
        '/move/residenceType',
        'form.residenceType',
        h(
          'select',
          {
            onchange: (event: Event) => {
              draft.residenceType = (event.target as HTMLSelectElement).value === 'secondary' ? 'secondary' : 'main';
            },
          },
          h('option', { value: 'main', selected: draft.residenceType === 'main' }, t('form.residenceType.main')),
          h(
            'option',
            { value: 'secondary', selected: draft.residenceType === 'secondary' },
            t('form.residenceType.secondary'),
          ),
        ),
        { required: true },
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, t('form.newAddress')),
        ...addressFields('/move/newAddress', draft.newAddress, false),
      ),
      draft.kind === 'into-city'
        ? h(
            'fieldset',
            { 'data-pointer': '/move/previousAddress' },
            h('legend', {}, t('form.previousAddress')),
            ...addressFields('/move/previousAddress', draft.previousAddress, true),
          )
        : '',
      field(
        '/move/landlordConfirmationReference',
        'form.landlord',
        text(
          draft.landlord,
          (v) => {
            draft.landlord = v;
          },
          { pattern: LANDLORD_REFERENCE_PATTERN.slice(1, -1), maxlength: '40' },
        ),
        { required: true, hint: 'form.landlord.hint' },
      ),
    );

    const memberRows = draft.members.map((member, i) =>
      field(
        `/householdMemberIds/${i}`,
        'form.member',
        text(
          member,
          (v) => {
            draft.members[i] = v;
          },
          { pattern: PERSON_ID_PATTERN.slice(1, -1), autocomplete: 'off', size: '10' },
        ),
        {
          labelValues: { n: i + 1 },
          extra: h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => {
                draft.members.splice(i, 1);
                rebuild(`/householdMemberIds/${Math.max(0, i - 1)}`);
              },
            },
            t('form.member.remove', { n: i + 1 }),
          ),
        },
      ),
    );
    const membersSet = h(
      'fieldset',
      {},
      h('legend', {}, t('form.members')),
      h('p', { class: 'hint' }, t('form.members.hint')),
      ...memberRows,
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          onclick: () => {
            draft.members.push('');
            rebuild(`/householdMemberIds/${draft.members.length - 1}`);
          },
        },
        t('form.member.add'),
      ),
    );

    const vehiclesSet = h(
      'fieldset',
      { 'data-pointer': '/vehiclePlates' },
      h('legend', {}, t('form.vehicles')),
      h('p', { class: 'hint' }, t('form.vehicles.hint')),
      vehicleBox,
    );
    renderVehicles();

    const documentsSet = h(
      'fieldset',
      { 'data-pointer': '/documents' },
      h('legend', {}, t('form.documents')),
      ...(['registration-confirmation', 'vehicle-registration-record'] as const).map((kind) =>
        checkbox(`doc-${kind}`, draft.documents.includes(kind), t(`form.documents.${kind}`), (checked) => {
          draft.documents = checked
            ? [...new Set([...draft.documents, kind])]
            : draft.documents.filter((d) => d !== kind);
        }),
      ),
    );

    const appointmentDetails = h('div', { class: 'appointment-details', hidden: !draft.appointment.wanted });
    appointmentDetails.append(
      h(
        'fieldset',
        { class: 'choices' },
        h('legend', {}, t('form.appointment.mode')),
        radio(
          'autoBook',
          'auto',
          draft.appointment.autoBook,
          'form.appointment.auto',
          () => {
            draft.appointment.autoBook = true;
          },
          '/appointment/autoBook',
        ),
        radio('autoBook', 'offer', !draft.appointment.autoBook, 'form.appointment.offer', () => {
          draft.appointment.autoBook = false;
        }),
      ),
      locationSelectHolder,
      field(
        '/appointment/earliestDate',
        'form.appointment.earliest',
        h('input', {
          type: 'date',
          value: draft.appointment.earliestDate,
          oninput: (event: Event) => {
            draft.appointment.earliestDate = (event.target as HTMLInputElement).value;
          },
        }),
      ),
      field(
        '/appointment/interpreterLanguage',
        'form.appointment.interpreter',
        h(
          'select',
          {
            onchange: (event: Event) => {
              draft.appointment.interpreterLanguage = (event.target as HTMLSelectElement).value;
            },
          },
          h('option', { value: '' }, t('form.appointment.noInterpreter')),
          ...[
            ['ar', 'العربية'],
            ['en', 'English'],
            ['pl', 'Polski'],
            ['ru', 'Русский'],
            ['tr', 'Türkçe'],
            ['uk', 'Українська'],
            ['vi', 'Tiếng Việt'],
          ].map(([code, name]) =>
            h(
              'option',
              { value: code, lang: code, selected: draft.appointment.interpreterLanguage === code },
              name ?? '',
            ),
          ),
        ),
      ),
    );
    renderLocations();
    const appointmentSet = h(
      'fieldset',
      {},
      h('legend', {}, t('form.appointment')),
      checkbox(
        'appointment-wanted',
        draft.appointment.wanted,
        t('form.appointment.wanted'),
        (checked) => {
          draft.appointment.wanted = checked;
          appointmentDetails.hidden = !checked;
        },
        '/appointment/wanted',
      ),
      appointmentDetails,
    );

    form.replaceChildren(
      moveSet,
      membersSet,
      vehiclesSet,
      documentsSet,
      appointmentSet,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button--primary', id: 'submit-move' }, t('form.submit')),
      ),
      formStatus,
    );
  }

  function renderVehicles(): void {
    if (!active) return;
    const known = vehicles.map((v, i) => {
      const label = `${v.plate} – ${v.make} ${v.model}`;
      const choice = checkbox(`vehicle-${i}`, draft.vehicles.includes(v.plate), label, (checked) => {
        draft.vehicles = checked
          ? [...new Set([...draft.vehicles, v.plate])]
          : draft.vehicles.filter((p) => p !== v.plate);
      });
      const input = choice.querySelector('input') as HTMLInputElement;
      const errorSlot = h('p', { class: 'field-error', id: `vehicle-${i}-error`, hidden: true });
      input.setAttribute('aria-describedby', errorSlot.id);
      fields.set(`vehicle:${v.plate}`, { inputId: input.id, label: v.plate, errorSlot, input });
      choice.appendChild(errorSlot);
      return choice;
    });
    const others = draft.otherPlates.map((value, i) =>
      field(
        `other-plate-${i}`,
        'form.vehicle.other',
        text(
          value,
          (v) => {
            draft.otherPlates[i] = v;
          },
          { pattern: PLATE_PATTERN.slice(1, -1), autocomplete: 'off', size: '12' },
        ),
        {
          labelValues: { n: i + 1 },
          extra: h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => {
                draft.otherPlates.splice(i, 1);
                rebuild();
              },
            },
            t('form.vehicle.remove', { n: i + 1 }),
          ),
        },
      ),
    );
    vehicleBox.replaceChildren(
      ...(vehicles.length === 0 ? [h('p', {}, t('form.vehicles.none'))] : known),
      ...others,
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          onclick: () => {
            draft.otherPlates.push('');
            rebuild(`other-plate-${draft.otherPlates.length - 1}`);
          },
        },
        t('form.vehicle.add'),
      ),
    );
  }

  function renderLocations(): void {
    const select = h(
      'select',
      {
        onchange: (event: Event) => {
          draft.appointment.locationId = (event.target as HTMLSelectElement).value;
        },
      },
      h('option', { value: '' }, t('form.appointment.anyLocation')),
      ...locations.map((l) =>
        h('option', { value: l.locationId, selected: draft.appointment.locationId === l.locationId }, l.name),
      ),
    );
    locationSelectHolder.replaceChildren(field('/appointment/locationId', 'form.appointment.location', select));
  }

  /** Re-renders after a structural change, keeping focus where the citizen works. */
  function rebuild(focusPointer?: string): void {
    const focusedPointer = focusPointer ?? document.activeElement?.getAttribute('data-pointer') ?? undefined;
    build();
    if (focusedPointer)
      (form.querySelector(`[data-pointer="${CSS.escape(focusedPointer)}"]`) as HTMLElement | null)?.focus();
  }

  /** Field keys of the plates, by their index in the request body (checked vehicles first, then the others). */
  function plateFieldKeys(): string[] {
    const keys = draft.vehicles.map((p) => `vehicle:${p}`);
    draft.otherPlates.forEach((value, i) => {
      if (plate(value)) keys.push(`other-plate-${i}`);
    });
    return keys;
  }

  /** The form field of a field path of the request (or its nearest enclosing field). */
  function resolveField(pointer: string): FieldRef | undefined {
    if (pointer.startsWith('/vehiclePlates/')) {
      const key = plateFieldKeys()[Number(pointer.split('/')[2])];
      return key ? fields.get(key) : undefined;
    }
    let path = pointer;
    while (path) {
      const ref = fields.get(path);
      if (ref) return ref;
      path = path.split('/').slice(0, -1).join('/');
    }
    return undefined;
  }

  function showErrors(violations: readonly { field: string; message: string }[]): void {
    for (const ref of fields.values()) {
      ref.errorSlot.hidden = true;
      ref.errorSlot.textContent = '';
      ref.input.removeAttribute('aria-invalid');
    }
    if (violations.length === 0) {
      summary.hidden = true;
      summary.replaceChildren();
      return;
    }
    const items: HTMLElement[] = [];
    for (const violation of violations) {
      const ref = resolveField(violation.field);
      const label = ref?.label ?? t('form.move');
      if (ref) {
        ref.errorSlot.hidden = false;
        ref.errorSlot.textContent = violation.message;
        ref.input.setAttribute('aria-invalid', 'true');
      }
      items.push(
        h(
          'li',
          {},
          ref
            ? h(
                'a',
                {
                  href: `#${ref.inputId}`,
                  onclick: (event: Event) => {
                    event.preventDefault();
                    document.getElementById(ref.inputId)?.focus();
                  },
                },
                `${label}: ${violation.message}`,
              )
            : `${label}: ${violation.message}`,
        ),
      );
    }
    summary.replaceChildren(
      h('h2', {}, t('form.errors.title')),
      h('p', {}, t('form.errors.count', { n: violations.length })),
      h('ul', {}, ...items),
    );
    summary.hidden = false;
    summary.focus();
  }

  function ruleMessage(violation: RuleViolation): { field: string; message: string } {
    const key = `rule.${violation.code}`;
    return { field: violation.field, message: hasText(key) ? t(key) : violation.code };
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const body = toBody(draft);
    const violations = validateBundle(body);
    if (violations.length > 0) {
      showErrors(violations.map(ruleMessage));
      return;
    }
    showErrors([]);
    const json = JSON.stringify(body);
    if (lastSubmission?.body !== json) lastSubmission = { body: json, key: newIdempotencyKey() };
    const button = form.querySelector<HTMLButtonElement>('#submit-move');
    if (button) button.disabled = true;
    formStatus.textContent = t('form.submitting');
    try {
      const bundle = await postJson<Bundle>('/api/bundles', body, lastSubmission.key);
      draft = freshDraft();
      lastSubmission = undefined;
      formStatus.textContent = '';
      navigate({ name: 'status', bundleId: bundle.bundleId });
    } catch (error) {
      formStatus.textContent = '';
      if (error instanceof ApiError && error.problem.errors && error.problem.errors.length > 0) {
        showErrors(error.problem.errors);
      } else {
        showErrors([
          {
            field: '',
            message: error instanceof ApiError ? (error.problem.detail ?? error.problem.title) : t('error.generic'),
          },
        ]);
      }
    } finally {
      if (button) button.disabled = false;
    }
  }

  main.append(h('h1', {}, t('form.title')), h('p', {}, t('form.intro')), summary, form);
  build();

  getJson<{ items: Vehicle[] }>('/api/vehicles')
    .then(({ items }) => {
      vehicles = items;
      renderVehicles();
    })
    .catch(() => {
      vehicles = [];
      renderVehicles();
    });
  getJson<{ items: Location[] }>('/api/locations')
    .then(({ items }) => {
      if (!active) return;
      locations = items;
      renderLocations();
    })
    .catch(() => undefined);

  return () => {
    active = false;
  };
}
