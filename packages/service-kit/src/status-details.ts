import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * Hand-written codecs for the few google.rpc messages the kit sends in the
 * standard `grpc-status-details-bin` trailer. The googleapis protos cannot be
 * fetched here, and these messages are small and frozen, so the field numbers
 * are written out (from google/rpc/status.proto and error_details.proto):
 *
 *   Status       { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 *   Any          { string type_url = 1; bytes value = 2; }
 *   BadRequest   { repeated FieldViolation field_violations = 1; }
 *   FieldViolation { string field = 1; string description = 2; }
 */

/** Trailer key of the google.rpc.Status every gRPC implementation understands. */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
export const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';

/** One invalid field of a request: its proto path (snake_case, e.g. `new_address.postal_code`) and what is wrong. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export interface AnyMessage {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  readonly details: readonly AnyMessage[];
}

export function encodeBadRequest(violations: readonly FieldViolation[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const violation of violations) {
    writer.tag(1, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(violation.field);
    writer.tag(2, WireType.LengthDelimited).string(violation.description);
    writer.join();
  }
  return writer.finish();
}

export function decodeBadRequest(bytes: Uint8Array): FieldViolation[] {
  const reader = new BinaryReader(bytes);
  const violations: FieldViolation[] = [];
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === 1 && wireType === WireType.LengthDelimited) {
      violations.push(decodeFieldViolation(reader.bytes()));
    } else {
      reader.skip(wireType, fieldNo);
    }
  }
  return violations;
}

function decodeFieldViolation(bytes: Uint8Array): FieldViolation {
  const reader = new BinaryReader(bytes);
  let field = '';
  let description = '';
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === 1 && wireType === WireType.LengthDelimited) field = reader.string();
    else if (fieldNo === 2 && wireType === WireType.LengthDelimited) description = reader.string();
    else reader.skip(wireType, fieldNo);
  }
  return { field, description };
}

export function encodeRpcStatus(status: RpcStatus): Uint8Array {
  const writer = new BinaryWriter();
  if (status.code !== 0) writer.tag(1, WireType.Varint).int32(status.code);
  if (status.message !== '') writer.tag(2, WireType.LengthDelimited).string(status.message);
  for (const detail of status.details) {
    writer.tag(3, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(detail.typeUrl);
    writer.tag(2, WireType.LengthDelimited).bytes(detail.value);
    writer.join();
  }
  return writer.finish();
}

export function decodeRpcStatus(bytes: Uint8Array): RpcStatus {
  const reader = new BinaryReader(bytes);
  let code = 0;
  let message = '';
  const details: AnyMessage[] = [];
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === 1 && wireType === WireType.Varint) code = reader.int32();
    else if (fieldNo === 2 && wireType === WireType.LengthDelimited) message = reader.string();
    else if (fieldNo === 3 && wireType === WireType.LengthDelimited) details.push(decodeAny(reader.bytes()));
    else reader.skip(wireType, fieldNo);
  }
  return { code, message, details };
}

function decodeAny(bytes: Uint8Array): AnyMessage {
  const reader = new BinaryReader(bytes);
  let typeUrl = '';
  let value: Uint8Array = new Uint8Array(0);
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === 1 && wireType === WireType.LengthDelimited) typeUrl = reader.string();
    else if (fieldNo === 2 && wireType === WireType.LengthDelimited) value = reader.bytes();
    else reader.skip(wireType, fieldNo);
  }
  return { typeUrl, value };
}
