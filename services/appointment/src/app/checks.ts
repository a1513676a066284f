import type { CatalogueIndex, Location, Service } from '../domain/catalogue.js';
import { DomainError } from '../domain/errors.js';
import { findServiceSlot, inWindow, openWindow, type ServiceSlot } from '../domain/slots.js';
import type { AppDeps } from './ports.js';

/** The request's service, or an error naming the field. */
export function requireService(catalogue: CatalogueIndex, serviceId: string, field = 'service_id'): Service {
  const service = catalogue.service(serviceId);
  if (!service) throw new DomainError('unknown-service', 'unknown service', field);
  return service;
}

/** The request's location, which must offer the service. */
export function requireLocationFor(
  catalogue: CatalogueIndex,
  service: Service,
  locationId: string,
  field = 'location_id',
): Location {
  const location = catalogue.location(locationId);
  if (!location) throw new DomainError('unknown-location', 'unknown location', field);
  if (!catalogue.offers(location, service)) {
    throw new DomainError('service-not-offered-at-location', 'the service is not offered at this location', field);
  }
  return location;
}

/** The slot starting exactly at `start`, which must be free to book now (not past, not beyond the horizon). */
export function requireBookableSlot(
  deps: AppDeps,
  catalogue: CatalogueIndex,
  location: Location,
  service: Service,
  start: Date,
  field = 'start',
): ServiceSlot {
  const slot = findServiceSlot(location, service, start, catalogue.catalogue.cityClosures);
  if (!slot) {
    throw new DomainError('slot-not-offered', 'no appointment of this service starts at this time and place', field);
  }
  const window = deps.settings.window;
  if (!inWindow(slot, openWindow(deps.clock.now(), window))) {
    throw new DomainError(
      'slot-outside-booking-window',
      `appointments can be booked from ${window.minLeadMinutes} minutes to ${window.horizonDays} days ahead`,
      field,
    );
  }
  return slot;
}

/** An interpreter language must be one of the configured ones and the service must offer interpreting. */
export function checkInterpreter(deps: AppDeps, service: Service, language: string): void {
  if (language === '') return;
  if (!deps.settings.interpreterLanguages.includes(language)) {
    throw new DomainError(
      'interpreter-language-unsupported',
      'video interpreting is not offered in this language (ISO 639-1 code expected)',
      'interpreter_language',
    );
  }
  if (!service.interpreterAvailable) {
    throw new DomainError(
      'interpreter-not-offered',
      'video interpreting is not offered with this service',
      'interpreter_language',
    );
  }
}
