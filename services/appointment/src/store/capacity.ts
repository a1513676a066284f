import { isDuplicateKeyError } from '@buergerservice/event-bus';
import type { CapacityStore } from '../app/ports.js';
import type { HoldRef } from '../domain/appointment.js';
import type { DaySlot } from '../domain/schedule.js';
import { numeric, text } from './read.js';
import { type AppointmentModels, stringIdCollection } from './schemas.js';

/**
 * Capacity without overbooking and without transactions, as seats: taking a
 * seat is an INSERT of the seat's document against its unique `_id`, the one
 * write every MongoDB-compatible server applies atomically — FerretDB 1.24
 * included, whose conditional updates are read-modify-write (measured: 50
 * concurrent `$inc` with `free >= 1` on one free counter gave up to 50
 * winners). A slot with n counters has exactly n seat ids, so it can never
 * hold more than n, whatever races.
 *
 * A longer service needs a seat on each of its consecutive slots. Each seat
 * is its own insert, so a hold that finds one slot full has already taken
 * seats on others: those stay with the hold until the caller releases it
 * (the appointment records the failed attempt first, so a crash cannot leak
 * them — the sweeper releases what the appointment lists). Meanwhile those
 * seats read as taken for a moment: another booking may be refused a slot
 * that turns out free — never the other way round.
 */
export class MongoCapacity implements CapacityStore {
  constructor(private readonly models: AppointmentModels) {}

  private get seats() {
    return stringIdCollection(this.models.seats);
  }

  async hold(daySlots: readonly DaySlot[], hold: HoldRef): Promise<'held' | 'full'> {
    const mine = await this.seats.find({ hold: hold.key }, { projection: { slotKey: 1 } }).toArray();
    const held = new Set(mine.map((seat) => text(seat.slotKey, 'slotKey')));
    const missing = hold.slotKeys.filter((key) => !held.has(key));
    if (missing.length === 0) return 'held';

    const taken = new Map<string, Set<number>>();
    const others = await this.seats
      .find({ dayId: hold.dayId, slotKey: { $in: missing } }, { projection: { slotKey: 1, seat: 1 } })
      .toArray();
    for (const seat of others) {
      const key = text(seat.slotKey, 'slotKey');
      taken.set(key, (taken.get(key) ?? new Set()).add(numeric(seat.seat, 'seat')));
    }

    for (const slotKey of missing) {
      const counters = daySlots.find((s) => s.key === slotKey)?.counters ?? 0;
      const seen = taken.get(slotKey) ?? new Set<number>();
      // Seats free when read first; then the others, which may have been released since.
      const order = [...Array(counters).keys()].sort((a, b) => Number(seen.has(a)) - Number(seen.has(b)));
      let got = false;
      for (const seat of order) {
        if (await this.take(hold, slotKey, seat)) {
          got = true;
          break;
        }
      }
      if (!got) return 'full';
    }
    return 'held';
  }

  /** Inserts one seat; true if it is now this hold's (also when a concurrent attempt of the same hold took this slot). */
  private async take(hold: HoldRef, slotKey: string, seat: number): Promise<boolean> {
    try {
      await this.seats.insertOne({
        _id: `${hold.dayId}|${slotKey}|${seat}`,
        dayId: hold.dayId,
        slotKey,
        seat,
        hold: hold.key,
        createdAt: new Date(),
      });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Either the seat is someone else's, or this hold has one on the slot already (unique hold + slot).
      return (await this.seats.countDocuments({ hold: hold.key, slotKey }, { limit: 1 })) > 0;
    }
  }

  async release(hold: HoldRef): Promise<void> {
    await this.seats.deleteMany({ hold: hold.key });
  }

  async taken(dayIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    if (dayIds.length === 0) return out;
    const seats = await this.seats
      .find({ dayId: { $in: [...dayIds] } }, { projection: { dayId: 1, slotKey: 1 } })
      .toArray();
    for (const seat of seats) {
      const dayId = text(seat.dayId, 'dayId');
      const slotKey = text(seat.slotKey, 'slotKey');
      const day = out.get(dayId) ?? {};
      day[slotKey] = (day[slotKey] ?? 0) + 1;
      out.set(dayId, day);
    }
    return out;
  }
}
