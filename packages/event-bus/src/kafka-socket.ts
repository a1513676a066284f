import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/** kafkajs's own keep-alive delay (src/network/socketFactory.js). */
const KEEP_ALIVE_DELAY_MS = 60_000;
const SIZE_BYTES = 4;

/**
 * Collects the bytes of a Kafka connection and releases only whole response
 * frames (a 4-byte size, then that many bytes); a frame cut off by the end
 * of the connection is never released.
 */
export class FrameAssembler {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes that must be buffered before a frame can be complete. */
  private needed = SIZE_BYTES;

  /** Adds received bytes; returns the frames completed by them (concatenated), if any. */
  push(chunk: Buffer): Buffer | undefined {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.needed) return undefined;
    const bytes = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.buffered);
    let end = 0;
    for (;;) {
      if (bytes.length - end < SIZE_BYTES) break;
      const size = bytes.readInt32BE(end);
      // A negative size is no Kafka frame: hand everything over, kafkajs reports the protocol error.
      if (size < 0) end = bytes.length;
      else if (bytes.length - end - SIZE_BYTES < size) break;
      else end += SIZE_BYTES + size;
    }
    const rest = bytes.subarray(end);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    this.needed = rest.length >= SIZE_BYTES ? SIZE_BYTES + rest.readInt32BE(0) : SIZE_BYTES;
    return end > 0 ? bytes.subarray(0, end) : undefined;
  }

  /** Bytes held back: the start of a frame not complete yet. */
  get pending(): number {
    return this.buffered;
  }
}

/**
 * A TCP socket whose 'data' listeners get whole Kafka response frames only.
 *
 * Why: kafkajs keeps the bytes of an answer it has not fully received in its
 * connection object, not in the socket, and reuses that object when it
 * reconnects. After a reset in the middle of an answer it reads the new
 * socket's first bytes as the rest of the old answer, and every later answer
 * on that connection is misread ("Response without match", then request
 * timeouts): the consumer group stops although the network is fine again.
 * With whole frames only, kafkajs never holds a partial answer when a socket
 * dies; the cut-off part dies with the socket.
 */
class WholeFrameSocket extends net.Socket {
  private readonly frames = new FrameAssembler();

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const [chunk] = args;
    if (event !== 'data' || !Buffer.isBuffer(chunk)) return super.emit(event, ...args);
    const whole = this.frames.push(chunk);
    return whole ? super.emit('data', whole) : this.listenerCount('data') > 0;
  }
}

/**
 * The event bus's kafkajs `socketFactory`: kafkajs's default (plain TCP,
 * keep-alive) with `WholeFrameSocket`. TLS to Kafka is not wired in the
 * event bus; it would need the same framing on a TLS socket.
 */
export const wholeFrameSocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  if (ssl) throw new Error('the event bus connects to Kafka without TLS; a TLS socket factory is not implemented');
  const socket = new WholeFrameSocket();
  socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
  socket.connect({ host, port }, onConnect);
  return socket;
};
