import { FrameAssembler } from './kafka-socket.js';

/** A Kafka response frame: 4-byte big-endian size, then the body. */
function frame(body: string): Buffer {
  const bytes = Buffer.from(body);
  const size = Buffer.alloc(4);
  size.writeInt32BE(bytes.length);
  return Buffer.concat([size, bytes]);
}

describe('FrameAssembler', () => {
  it('releases a whole frame at once', () => {
    const assembler = new FrameAssembler();
    expect(assembler.push(frame('correlation 7'))?.equals(frame('correlation 7'))).toBe(true);
    expect(assembler.pending).toBe(0);
  });

  it('holds a frame back until its last byte arrived, also when the size itself is split', () => {
    const assembler = new FrameAssembler();
    const whole = frame('a fetch answer with records');
    const parts = [whole.subarray(0, 2), whole.subarray(2, 9), whole.subarray(9, 20), whole.subarray(20)];
    expect(parts.slice(0, 3).map((p) => assembler.push(p))).toEqual([undefined, undefined, undefined]);
    expect(assembler.push(parts[3] as Buffer)?.equals(whole)).toBe(true);
  });

  it('releases every complete frame of a chunk and keeps the start of the next', () => {
    const assembler = new FrameAssembler();
    const third = frame('third');
    const chunk = Buffer.concat([frame('first'), frame('second'), third.subarray(0, 6)]);
    expect(assembler.push(chunk)?.equals(Buffer.concat([frame('first'), frame('second')]))).toBe(true);
    expect(assembler.pending).toBe(6);
    expect(assembler.push(third.subarray(6))?.equals(third)).toBe(true);
  });

  it('never releases a frame that was cut off', () => {
    const assembler = new FrameAssembler();
    const cut = frame('an answer the reset cut in half');
    expect(assembler.push(cut.subarray(0, 10))).toBeUndefined();
    expect(assembler.pending).toBe(10);
  });

  it('releases an empty frame', () => {
    expect(new FrameAssembler().push(frame(''))?.length).toBe(4);
  });
});
