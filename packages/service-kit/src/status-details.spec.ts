import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { decodeBadRequest, decodeRpcStatus, encodeBadRequest, encodeRpcStatus } from './status-details';

describe('google.rpc codecs', () => {
  it('round-trips a Status with a BadRequest detail', () => {
    const violations = [
      { field: 'move_in_date', description: 'must be a date YYYY-MM-DD' },
      { field: 'co_moving_person_ids[1]', description: 'is not in the household' },
    ];
    const bytes = encodeRpcStatus({
      code: 3,
      message: 'invalid request',
      details: [{ typeUrl: 'type.googleapis.com/google.rpc.BadRequest', value: encodeBadRequest(violations) }],
    });
    const decoded = decodeRpcStatus(bytes);
    expect(decoded.code).toBe(3);
    expect(decoded.message).toBe('invalid request');
    expect(decodeBadRequest(decoded.details[0]?.value ?? new Uint8Array())).toEqual(violations);
  });

  it('writes the field numbers of google/rpc/status.proto and error_details.proto', () => {
    const bytes = encodeRpcStatus({ code: 3, message: 'm', details: [{ typeUrl: 't', value: new Uint8Array([1]) }] });
    const reader = new BinaryReader(bytes);
    expect(reader.tag()).toEqual([1, WireType.Varint]);
    expect(reader.int32()).toBe(3);
    expect(reader.tag()).toEqual([2, WireType.LengthDelimited]);
    expect(reader.string()).toBe('m');
    expect(reader.tag()).toEqual([3, WireType.LengthDelimited]);
    const any = new BinaryReader(reader.bytes());
    expect(any.tag()).toEqual([1, WireType.LengthDelimited]);
    expect(any.string()).toBe('t');
    expect(any.tag()).toEqual([2, WireType.LengthDelimited]);
    expect([...any.bytes()]).toEqual([1]);

    // BadRequest { field_violations = 1: FieldViolation { field = 1: "f", description = 2: "d" } }
    expect([...encodeBadRequest([{ field: 'f', description: 'd' }])]).toEqual([0x0a, 6, 0x0a, 1, 0x66, 0x12, 1, 0x64]);
  });

  it('skips fields it does not know (newer FieldViolation fields such as reason)', () => {
    // FieldViolation { field = 1: "a", description = 2: "b", reason = 3: "R" } inside BadRequest field 1
    const inner = [0x0a, 1, 0x61, 0x12, 1, 0x62, 0x1a, 1, 0x52];
    const outer = new Uint8Array([0x0a, inner.length, ...inner]);
    expect(decodeBadRequest(outer)).toEqual([{ field: 'a', description: 'b' }]);
  });
});
