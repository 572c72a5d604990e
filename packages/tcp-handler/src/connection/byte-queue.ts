/** A FIFO of received chunks that hands out up to N bytes at a time without copying more than needed. */
export class ByteQueue {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  /** Bytes currently held. */
  get length(): number {
    return this.size;
  }

  /** Appends a chunk. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Removes and returns up to `maxBytes` bytes, oldest first. */
  take(maxBytes: number): Buffer {
    const parts: Buffer[] = [];
    let wanted = Math.min(maxBytes, this.size);
    let taken = 0;
    while (wanted > 0) {
      const head = this.chunks[0];
      if (head === undefined) break;
      if (head.length <= wanted) {
        this.chunks.shift();
        parts.push(head);
        wanted -= head.length;
        taken += head.length;
      } else {
        parts.push(head.subarray(0, wanted));
        this.chunks[0] = head.subarray(wanted);
        taken += wanted;
        wanted = 0;
      }
    }
    this.size -= taken;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, taken);
  }

  /** Removes and returns everything held. */
  drain(): Buffer {
    return this.take(this.size);
  }
}
