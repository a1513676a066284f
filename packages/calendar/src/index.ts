export { berlinDate } from './berlin-date.js';
export {
  bussUndBettag,
  type CalendarDate,
  easterSunday,
  type Holiday,
  isSaxonyHoliday,
  saxonyHoliday,
  saxonyHolidays,
} from './holidays.js';
