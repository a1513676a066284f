import type { Address } from './address.js';
import type { RejectionReason } from './rejection.js';

/**
 * Facts the vehicle register raises. They become protobuf events on
 * vehicle.events.v1 (events/codec.ts) and travel through the outbox.
 * Addresses and districts are the register's state after the fact.
 */
export type VehicleDomainEvent =
  | {
      readonly type: 'holder-address-updated';
      readonly moveId: string;
      readonly plate: string;
      readonly holderPersonId: string;
      readonly holderAddress: Address;
      readonly previousDistrict: string;
      readonly district: string;
    }
  | {
      readonly type: 'holder-address-update-rejected';
      readonly moveId: string;
      readonly plate: string;
      readonly applicantId: string;
      readonly reason: RejectionReason;
      readonly message: string;
    }
  | {
      readonly type: 'holder-address-restored';
      readonly moveId: string;
      readonly plate: string;
      readonly holderPersonId: string;
      readonly holderAddress: Address;
      readonly district: string;
    }
  | {
      readonly type: 'vehicle-registered';
      readonly plate: string;
      readonly holderPersonId: string;
      readonly district: string;
    }
  | { readonly type: 'vehicle-deregistered'; readonly plate: string; readonly holderPersonId: string };
