import { LinkBase } from './link-base.js';
import { TransportError, isTransportErrorCode } from './transport-error.js';

/**
 * Control frames for transports that cannot carry a ping or a close reason themselves (TCP, NATS).
 * They are JSON objects with a `$` key, which no protocol message has (PROTOCOL.md: "no other keys
 * are sent"), so they never reach the cmd-ipc message stream.
 */
type ControlFrame = { $: 'ping' } | { $: 'pong' } | { $: 'bye'; code: string; reason: string };

/** Longest close reason accepted from a peer; a longer one is cut (it only goes to logs). */
const MAX_REASON_LENGTH = 512;

/** A link whose keep-alives and goodbyes travel as control frames among the values. */
export abstract class InBandLink extends LinkBase {
  /** Encodes and writes one value; throws TransportError when it cannot be encoded. */
  protected abstract write(value: unknown): void;

  /** Sends one value; dropped when closed. */
  send(value: unknown): void {
    if (this.isClosed) return;
    this.write(value);
  }

  /** Sends a ping the peer answers with a pong. */
  ping(): void {
    this.writeControl({ $: 'ping' });
  }

  /** Routes one decoded inbound frame: control frames are handled here, the rest delivered. */
  protected receiveFrame(value: unknown): void {
    if (this.isClosed) return;
    const control = asControlFrame(value);
    if (control === undefined) {
      this.deliver(value);
      return;
    }
    if (control.$ === 'ping') {
      this.markActivity();
      this.writeControl({ $: 'pong' });
    } else if (control.$ === 'pong') {
      this.markActivity();
    } else {
      this.peerClosed(reasonFromBye(control.code, control.reason));
    }
  }

  /** Tells the peer why this side is closing; best effort, the link is going away anyway. */
  protected sayGoodbye(reason: TransportError | undefined): void {
    this.writeControl({ $: 'bye', code: reason?.code ?? 'normal', reason: reason?.message ?? 'closed' });
  }

  private writeControl(frame: ControlFrame): void {
    try {
      this.write(frame);
    } catch {
      // A control frame is tiny and always encodable; a failure means the transport is gone, which
      // the transport reports through its own close path.
    }
  }
}

function asControlFrame(value: unknown): ControlFrame | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { $?: unknown }).$;
  if (kind === 'ping' || kind === 'pong') return { $: kind };
  if (kind === 'bye') {
    const { code, reason } = value as { code?: unknown; reason?: unknown };
    return { $: 'bye', code: String(code), reason: typeof reason === 'string' ? reason.slice(0, MAX_REASON_LENGTH) : 'closed' };
  }
  return undefined;
}

/** A clean goodbye closes without an error; any other carries the peer's code and reason. */
function reasonFromBye(code: string, reason: string): TransportError | undefined {
  if (code === 'normal') return undefined;
  return new TransportError(isTransportErrorCode(code) ? code : 'closed_by_peer', reason);
}
