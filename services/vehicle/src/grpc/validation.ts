import type { vehicle } from '@buergerservice/contracts';
import { Violations } from '@buergerservice/service-kit';
import type { VehicleLookup } from '../app/get-vehicle.js';
import { addressFromContract } from '../contract-address.js';
import { holderAddressProblems } from '../domain/address.js';
import { isCertificateNumber, isDistrictCode, isMakeOrModel, isPersonId } from '../domain/identifiers.js';
import { parsePlate, plateProblemText } from '../domain/plate.js';
import { parseVin, vinProblemText } from '../domain/vin.js';
import type { NewVehicle } from '../domain/vehicle.js';

/**
 * Request validation at the edge: every violation at once, named by the
 * field's snake_case path in the .proto. Returns the normalised values the
 * use cases take (plate and VIN in canonical form).
 */

const MAX_KEY_LENGTH = 128;
const MAX_REASON_LENGTH = 200;

function plateOf(v: Violations, field: string, input: string): string {
  const parsed = parsePlate(input);
  if (parsed.ok) return parsed.plate.text;
  v.add(field, plateProblemText[parsed.problem]);
  return '';
}

function vinOf(v: Violations, field: string, input: string): string {
  const parsed = parseVin(input);
  if (parsed.ok) return parsed.vin;
  v.add(field, vinProblemText[parsed.problem]);
  return '';
}

function personIdOf(v: Violations, field: string, input: string): string {
  if (v.required(field, input))
    v.check(isPersonId(input), field, 'must be a person id of the register (e.g. P0000001)');
  return input;
}

export function validateRegisterVehicle(
  request: vehicle.RegisterVehicleRequest,
  defaultDistrict: string,
): { idempotencyKey: string; vehicle: NewVehicle } {
  const v = new Violations();
  if (v.required('idempotency_key', request.idempotencyKey)) {
    v.check(
      request.idempotencyKey.length <= MAX_KEY_LENGTH,
      'idempotency_key',
      `must have at most ${MAX_KEY_LENGTH} characters`,
    );
  }
  const plate = plateOf(v, 'plate', request.plate);
  const vin = vinOf(v, 'vin', request.vin);
  v.check(isMakeOrModel(request.make), 'make', 'is required (at most 60 characters)');
  v.check(isMakeOrModel(request.model), 'model', 'is required (at most 60 characters)');
  const certificateNumber = request.registrationCertificateNumber.trim().toUpperCase();
  if (v.required('registration_certificate_number', certificateNumber)) {
    v.check(
      isCertificateNumber(certificateNumber),
      'registration_certificate_number',
      'must be the number printed on the Zulassungsbescheinigung Teil I (letters, then 6-8 digits)',
    );
  }
  personIdOf(v, 'holder_person_id', request.holderPersonId);
  const holderAddress = addressFromContract(request.holderAddress);
  if (v.required('holder_address', request.holderAddress)) {
    const at = v.at('holder_address');
    for (const problem of holderAddressProblems(holderAddress)) at.add(problem.field, problem.description);
  }
  const district = request.registrationDistrict.trim() === '' ? defaultDistrict : request.registrationDistrict.trim();
  v.check(
    isDistrictCode(district),
    'registration_district',
    'must be a district code of 1-3 capital letters, e.g. "L"',
  );
  v.throwIfAny();
  return {
    idempotencyKey: request.idempotencyKey,
    vehicle: {
      plate,
      vin,
      make: request.make.trim(),
      model: request.model.trim(),
      certificateNumber,
      holderPersonId: request.holderPersonId,
      holderAddress,
      district,
    },
  };
}

export function validateGetVehicle(request: vehicle.GetVehicleRequest): VehicleLookup {
  const v = new Violations();
  let lookup: VehicleLookup | undefined;
  if (request.plate !== undefined) lookup = { plate: plateOf(v, 'plate', request.plate) };
  else if (request.vin !== undefined) lookup = { vin: vinOf(v, 'vin', request.vin) };
  else v.add('plate', 'plate or vin is required');
  v.throwIfAny();
  return lookup as VehicleLookup;
}

export function validateListVehiclesByHolder(request: vehicle.ListVehiclesByHolderRequest): string {
  const v = new Violations();
  personIdOf(v, 'holder_person_id', request.holderPersonId);
  v.throwIfAny();
  return request.holderPersonId;
}

export function validateDeregisterVehicle(request: vehicle.DeregisterVehicleRequest): {
  plate: string;
  reason: string;
} {
  const v = new Violations();
  const plate = plateOf(v, 'plate', request.plate);
  const reason = request.reason.trim();
  if (v.required('reason', reason)) {
    v.check(reason.length <= MAX_REASON_LENGTH, 'reason', `must have at most ${MAX_REASON_LENGTH} characters`);
  }
  v.throwIfAny();
  return { plate, reason };
}
