/** Reads a Server-Sent Events stream with fetch, as a browser's EventSource would, for assertions. */
export interface SseEvent {
  event: string;
  id: string;
  data: string;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  private buffer = '';
  private done: Promise<void> = Promise.resolve();
  status = 0;
  contentType = '';

  async open(url: string): Promise<this> {
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: this.controller.signal });
    this.status = response.status;
    this.contentType = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body) return this;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          this.buffer += decoder.decode(value, { stream: true });
          this.parse();
        }
      } catch {
        // Aborted by close().
      }
    })();
    return this;
  }

  private parse(): void {
    let end = this.buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', id: '', data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') {
          event.data += (hasData ? '\n' : '') + value;
          hasData = true;
        }
      }
      if (hasData) this.events.push(event);
      end = this.buffer.indexOf('\n\n');
    }
  }

  /** The data of every `status` event, parsed. */
  statuses<T>(): T[] {
    return this.events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data) as T);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
