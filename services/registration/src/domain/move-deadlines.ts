import {
  addDays,
  addMonths,
  berlinDate,
  type CalendarDate,
  compareDates,
  daysBetween,
  endOfBerlinDay,
} from './calendar.js';
import { addWerktage, nextWorkingDay, sameOrNextWorkingDay } from './working-days.js';

/**
 * The deadlines of a registration act. Legal basis and the choices made
 * where the law leaves room are explained in the service README.
 */

/**
 * How far ahead of moving in a move may be registered. The BMG knows no
 * registration before moving in except the deregistration at most one week
 * before moving out (§17(2) sentence 2); the same week is allowed for every
 * kind of move, so the register is never ahead of reality by more than that.
 */
export const MAX_DAYS_BEFORE_MOVING = 7;

/**
 * How far back a move may be registered through this API. Later
 * registrations are still accepted (and flagged late, see below); moves
 * further back rewrite a long stretch of history that other registers have
 * already used (taxes, elections, benefits) and are left to a clerk at a
 * citizen office who hears the person (BMG §54 proceedings).
 */
export const MAX_MONTHS_AFTER_MOVING = 6;

/** BMG §17(1): register within two weeks after moving in. */
export const REGISTRATION_PERIOD_DAYS = 14;

/** BMG §33(1): notify the previous office at the latest three Werktage after the registration. */
export const PREVIOUS_OFFICE_NOTIFICATION_WERKTAGE = 3;

/** The earliest move-in date accepted on `today`. */
export function earliestMoveInDate(today: CalendarDate): CalendarDate {
  return addMonths(today, -MAX_MONTHS_AFTER_MOVING);
}

/** The latest move-in date accepted on `today`. */
export function latestMoveInDate(today: CalendarDate): CalendarDate {
  return addDays(today, MAX_DAYS_BEFORE_MOVING);
}

/**
 * The last day to register a move on time: two weeks after moving in
 * (§187(1), §188(2) BGB: the period ends on the same weekday two weeks
 * later), moved to the next working day when it ends on a Saturday, Sunday
 * or public holiday (§193 BGB).
 */
export function registrationDeadline(moveInDate: CalendarDate): CalendarDate {
  return sameOrNextWorkingDay(addDays(moveInDate, REGISTRATION_PERIOD_DAYS));
}

/** Registered after the deadline of BMG §17(1): accepted, but flagged for the office. */
export function isLateRegistration(moveInDate: CalendarDate, registeredOn: CalendarDate): boolean {
  return compareDates(registeredOn, registrationDeadline(moveInDate)) > 0;
}

/** Whether `moveInDate` lies in the window accepted on `today`; the reason when not. */
export function moveInDateProblem(moveInDate: CalendarDate, today: CalendarDate): string | undefined {
  if (daysBetween(today, moveInDate) > MAX_DAYS_BEFORE_MOVING) {
    return `may be at most ${MAX_DAYS_BEFORE_MOVING} days in the future: a move is registered when it happens (BMG §17)`;
  }
  if (compareDates(moveInDate, earliestMoveInDate(today)) < 0) {
    return `is more than ${MAX_MONTHS_AFTER_MOVING} months in the past: please register at a citizen office`;
  }
  return undefined;
}

/**
 * Until when a move may be revoked: the end (Berlin time) of the working
 * day after the day it was recorded.
 */
export function revocationDeadline(recordedAt: Date): Date {
  return endOfBerlinDay(nextWorkingDay(berlinDate(recordedAt)));
}

/** The day by which the previous registration office must have been notified (BMG §33(1)). */
export function previousOfficeNotificationDue(recordedAt: Date): CalendarDate {
  return addWerktage(berlinDate(recordedAt), PREVIOUS_OFFICE_NOTIFICATION_WERKTAGE);
}
