/** A raw request on the wire: an integer id and the request. */
export interface RawRequest {
  id: number;
  request: unknown;
}

/** A raw reply on the wire: the request's id and the echoed result. */
export interface RawReply {
  id: number;
  result: unknown;
}

/**
 * The least a request/reply floor needs over a one-way transport: an integer id per call and a map
 * from id to the waiting caller. No timeouts, no validation, no routing: that is the framework's job.
 */
export class PendingCalls {
  private readonly waiting = new Map<number, (value: unknown) => void>();
  private next = 0;

  /** Sends a request through `send` and resolves with the reply carrying its id. */
  call(request: unknown, send: (message: RawRequest) => void): Promise<unknown> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      send({ id, request });
    });
  }

  /** Settles the call a reply answers; a reply to nothing is ignored. */
  settle(reply: RawReply): void {
    const resolve = this.waiting.get(reply.id);
    if (resolve === undefined) return;
    this.waiting.delete(reply.id);
    resolve(reply.result);
  }
}
