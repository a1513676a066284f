import { berlinDate } from '../domain/calendar.js';
import { DomainError } from '../domain/errors.js';
import { type Person, type ResidencesOnDay, residencesOn } from '../domain/person.js';
import type { RegistrationDeps } from './ports.js';
import { movesOfPersons } from './moves-of-persons.js';
import { historyOf } from './residences.js';
import { logMiss, type Present, type Recipient, transmit } from './transmission.js';

export interface PersonView {
  readonly person: Person;
  /** Residences valid today (Berlin). */
  readonly current: ResidencesOnDay;
}

/** A person's register entry with today's residences, logged as a transmission (BMG §40). */
export async function getPerson<R>(
  deps: RegistrationDeps,
  query: { readonly personId: string; readonly recipient: Recipient },
  present: Present<PersonView, R>,
): Promise<R> {
  const person = await deps.persons.find(query.personId);
  if (!person) {
    await logMiss(deps, query.recipient, 'GetPerson');
    throw new DomainError('person-not-found', `person ${query.personId} not found`);
  }
  const history = historyOf(person, (await movesOfPersons(deps, [person.personId])).moves);
  const view = { person, current: residencesOn(history, berlinDate(deps.clock.now())) };
  return transmit(
    deps,
    { recipient: query.recipient, operation: 'GetPerson', personIds: [person.personId], hits: 1 },
    view,
    present,
  );
}
