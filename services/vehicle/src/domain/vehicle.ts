import type { Address } from './address.js';
import type { VehicleDomainEvent } from './events.js';
import type { Jurisdiction } from './jurisdiction.js';
import { coversPerson, type MoveNotice, moveDestination } from './move.js';
import { type RejectionReason, rejectionMessages } from './rejection.js';

export type VehicleStatus = 'registered' | 'deregistered';

/**
 * What one move did to a vehicle's holder address. Kept per (vehicle, move)
 * so that revoking the move undoes exactly its own change.
 */
export interface MoveEffect {
  readonly moveId: string;
  /** When the registration office recorded the move: orders the effects. */
  readonly recordedAt: Date;
  readonly appliedAt: Date;
  /** The address and district in force just before this move (kept consistent with the order of moves). */
  readonly previousAddress: Address;
  readonly previousDistrict: string;
  readonly newAddress: Address;
  readonly newDistrict: string;
  /** Set once the move was revoked; the effect then no longer counts. */
  readonly revokedAt?: Date | undefined;
}

/** A vehicle as the register stores it. */
export interface VehicleState {
  readonly plate: string;
  readonly vin: string;
  readonly make: string;
  readonly model: string;
  readonly certificateNumber: string;
  readonly holderPersonId: string;
  /** Current holder address and district: derived from `registeredAddress` and the moves in force. */
  readonly holderAddress: Address;
  readonly district: string;
  readonly status: VehicleStatus;
  readonly registeredAt: Date;
  readonly updatedAt: Date;
  readonly deregisteredAt?: Date | undefined;
  readonly deregistrationReason?: string | undefined;
  /** Holder address and district at registration, before any move handled here. */
  readonly registeredAddress: Address;
  readonly registeredDistrict: string;
  /** Effects of moves, ordered by `recordedAt` (then move id). */
  readonly moves: readonly MoveEffect[];
}

export interface NewVehicle {
  readonly plate: string;
  readonly vin: string;
  readonly make: string;
  readonly model: string;
  readonly certificateNumber: string;
  readonly holderPersonId: string;
  readonly holderAddress: Address;
  readonly district: string;
}

/** How a vehicle reacts to a move that names its plate. */
export type MoveOutcome =
  | { readonly kind: 'updated'; readonly event: VehicleDomainEvent }
  /** The move was handled for this vehicle before (applied, or applied and revoked): nothing changes. */
  | { readonly kind: 'already-handled' }
  | { readonly kind: 'rejected'; readonly reason: RejectionReason };

function byRecordedAt(a: MoveEffect, b: MoveEffect): number {
  const time = a.recordedAt.getTime() - b.recordedAt.getTime();
  if (time !== 0) return time;
  return a.moveId < b.moveId ? -1 : a.moveId > b.moveId ? 1 : 0;
}

/**
 * The vehicle aggregate: owns the transitions of one vehicle's record and
 * raises the events they cause. Time comes from the caller.
 *
 * The holder address is a function of the address at registration and the
 * moves in force: the newest move (by the time the registration office
 * recorded it) that is not revoked decides. So the result does not depend on
 * the order in which AddressChanged and AddressChangeRevoked events arrive,
 * nor on duplicates — only on which moves happened and which were revoked.
 */
export class Vehicle {
  private constructor(private current: VehicleState) {}

  static register(input: NewVehicle, now: Date): { vehicle: Vehicle; event: VehicleDomainEvent } {
    const vehicle = new Vehicle({
      ...input,
      status: 'registered',
      registeredAt: now,
      updatedAt: now,
      registeredAddress: input.holderAddress,
      registeredDistrict: input.district,
      moves: [],
    });
    return {
      vehicle,
      event: {
        type: 'vehicle-registered',
        plate: input.plate,
        holderPersonId: input.holderPersonId,
        district: input.district,
      },
    };
  }

  /** Rebuilds a vehicle from its stored state. */
  static fromState(state: VehicleState): Vehicle {
    return new Vehicle(state);
  }

  get state(): VehicleState {
    return this.current;
  }

  get plate(): string {
    return this.current.plate;
  }

  /** Whether a move changed this vehicle and is still in force. */
  hasMoveInForce(moveId: string): boolean {
    return this.current.moves.some((m) => m.moveId === moveId && m.revokedAt === undefined);
  }

  /**
   * Außerbetriebsetzung (FZV §14). Deregistering a deregistered vehicle
   * changes nothing and raises nothing, so a repeated command is harmless.
   */
  deregister(reason: string, now: Date): VehicleDomainEvent | undefined {
    if (this.current.status === 'deregistered') return undefined;
    this.current = {
      ...this.current,
      status: 'deregistered',
      deregisteredAt: now,
      deregistrationReason: reason,
      updatedAt: now,
    };
    return { type: 'vehicle-deregistered', plate: this.current.plate, holderPersonId: this.current.holderPersonId };
  }

  /**
   * The holder-address update after a move (the holder's duty to report the
   * new address, FZV §15; done for the citizen from the registration
   * office's notice). Checks, in this order so that nothing about a vehicle
   * is revealed to someone who does not hold it: the holder is covered by
   * the move; the vehicle is registered; the new address lies in the district.
   */
  reactToMove(move: MoveNotice, jurisdiction: Jurisdiction, now: Date): MoveOutcome {
    if (this.current.moves.some((m) => m.moveId === move.moveId)) return { kind: 'already-handled' };
    if (!coversPerson(move, this.current.holderPersonId)) return { kind: 'rejected', reason: 'not-holder' };
    if (this.current.status === 'deregistered') return { kind: 'rejected', reason: 'deregistered' };
    const destination = moveDestination(move, jurisdiction);
    if (destination.kind === 'abroad') return { kind: 'rejected', reason: 'moved-abroad' };
    if (destination.kind === 'other-district') return { kind: 'rejected', reason: 'outside-district' };

    const previousDistrict = this.current.district;
    const effect: MoveEffect = {
      moveId: move.moveId,
      recordedAt: move.recordedAt,
      appliedAt: now,
      // Provisional: recompute() sets the predecessor's values.
      previousAddress: this.current.holderAddress,
      previousDistrict,
      newAddress: move.newAddress,
      // Kennzeichenmitnahme: the plate is kept whatever the district; only the
      // district the vehicle is registered in follows the holder.
      newDistrict: destination.districtCode,
    };
    this.recompute([...this.current.moves, effect], now);
    return {
      kind: 'updated',
      event: {
        type: 'holder-address-updated',
        moveId: move.moveId,
        plate: this.current.plate,
        holderPersonId: this.current.holderPersonId,
        holderAddress: this.current.holderAddress,
        previousDistrict,
        district: this.current.district,
      },
    };
  }

  /**
   * Compensation of a revoked move: its effect stops counting, so the holder
   * address falls back to what it was before the move (or stays with a newer
   * move still in force). A move that did not change this vehicle, or was
   * revoked before, changes nothing.
   */
  revokeMove(moveId: string, now: Date): VehicleDomainEvent | undefined {
    if (!this.hasMoveInForce(moveId)) return undefined;
    const moves = this.current.moves.map((m) => (m.moveId === moveId ? { ...m, revokedAt: now } : m));
    this.recompute(moves, now);
    return {
      type: 'holder-address-restored',
      moveId,
      plate: this.current.plate,
      holderPersonId: this.current.holderPersonId,
      holderAddress: this.current.holderAddress,
      district: this.current.district,
    };
  }

  /** Orders the effects and derives the current address, district and each effect's predecessor from them. */
  private recompute(effects: readonly MoveEffect[], now: Date): void {
    let address = this.current.registeredAddress;
    let district = this.current.registeredDistrict;
    const moves = [...effects].sort(byRecordedAt).map((effect) => {
      if (effect.revokedAt !== undefined) return effect;
      const chained = { ...effect, previousAddress: address, previousDistrict: district };
      address = effect.newAddress;
      district = effect.newDistrict;
      return chained;
    });
    this.current = { ...this.current, moves, holderAddress: address, district, updatedAt: now };
  }
}

/** The rejection event for a plate of a move, raised by the register rather than by a vehicle. */
export function holderUpdateRejected(
  move: Pick<MoveNotice, 'moveId' | 'applicantId'>,
  plate: string,
  reason: RejectionReason,
): VehicleDomainEvent {
  return {
    type: 'holder-address-update-rejected',
    moveId: move.moveId,
    plate,
    applicantId: move.applicantId,
    reason,
    message: rejectionMessages[reason],
  };
}
