import { berlinDate, type CalendarDate } from '../domain/calendar.js';
import { DomainError } from '../domain/errors.js';
import { type ResidencesOnDay, residencesOn } from '../domain/person.js';
import type { RegistrationDeps } from './ports.js';
import { movesOfPersons } from './moves-of-persons.js';
import { historyOf } from './residences.js';
import { logMiss, type Present, type Recipient, transmit } from './transmission.js';

/** A person's residences on a day (today in Berlin when none is given), logged (BMG §40). */
export async function getResidence<R>(
  deps: RegistrationDeps,
  query: { readonly personId: string; readonly asOf?: CalendarDate | undefined; readonly recipient: Recipient },
  present: Present<ResidencesOnDay, R>,
): Promise<R> {
  const person = await deps.persons.find(query.personId);
  if (!person) {
    await logMiss(deps, query.recipient, 'GetResidence');
    throw new DomainError('person-not-found', `person ${query.personId} not found`);
  }
  const history = historyOf(person, (await movesOfPersons(deps, [person.personId])).moves);
  const day = query.asOf ?? berlinDate(deps.clock.now());
  return transmit(
    deps,
    { recipient: query.recipient, operation: 'GetResidence', personIds: [person.personId], hits: 1 },
    residencesOn(history, day),
    present,
  );
}
