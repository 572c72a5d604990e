import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { corkUntilNextTick } from '../net/cork.js';
import { LinkBase } from '../link/link-base.js';
import { TransportError, type TransportErrorCode } from '../link/transport-error.js';

/** Default largest message a WebSocket channel accepts (ws `maxPayload`): 16 MiB, as for byte streams. */
export const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

/** WebSocket close codes for each reason; 4xxx are application codes (4401 mirrors HTTP 401). */
const CLOSE_CODES: Record<TransportErrorCode, number> = {
  auth_failed: 4401,
  handshake_failed: 4400,
  handshake_timeout: 4402,
  frame_too_large: 1009,
  frame_malformed: 1007,
  message_unsendable: 1011,
  heartbeat_timeout: 4408,
  replaced: 4409,
  connection_lost: 1001,
  closed_by_peer: 4000,
  connect_failed: 4000,
};

/** Time allowed for the WebSocket closing handshake before the socket is cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * One WebSocket connection: one text frame of JSON per message, native ping/pong for keep-alive,
 * close codes for reasons.
 */
export class WebSocketLink extends LinkBase {
  private localError: TransportError | undefined;

  constructor(
    private readonly socket: WebSocket,
    readonly description: string,
    private readonly maxPayload: number,
  ) {
    super();
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('ping', () => this.markActivity());
    socket.on('pong', () => this.markActivity());
    socket.on('error', (error: Error & { code?: string }) => {
      this.localError ??=
        error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
          ? new TransportError('frame_too_large', `${description} sent a message larger than the maximum of ${maxPayload} bytes`)
          : new TransportError('connection_lost', `${description}: ${error.message}`, { cause: error });
    });
    socket.on('close', (code, reason) => this.peerClosed(this.localError ?? reasonFromClose(code, reason.toString('utf8'), description)));
  }

  /** Sends one JSON text frame. */
  send(value: unknown): void {
    if (this.isClosed) return;
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new TransportError('message_unsendable', `${this.description}: the message is not JSON-serializable: ${(error as Error).message}`);
    }
    // A UTF-16 unit is at most 3 UTF-8 bytes, so only long strings need the exact count.
    if (text.length * 3 > this.maxPayload) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > this.maxPayload) {
        throw new TransportError('frame_too_large', `outgoing message of ${bytes} bytes exceeds the maximum of ${this.maxPayload} on ${this.description}`);
      }
    }
    // ws keeps its net.Socket in `_socket` (not public API); corking it batches this turn's frames.
    const raw = (this.socket as unknown as { _socket?: Socket })._socket;
    if (raw) corkUntilNextTick(raw);
    this.socket.send(text);
  }

  /** Sends a WebSocket ping; the peer's pong counts as life. */
  ping(): void {
    try {
      this.socket.ping();
    } catch {
      // Not open (still connecting or already closing): the close path reports it.
    }
  }

  /** Stops reading from the socket. */
  pause(): void {
    this.socket.pause();
  }

  /** Resumes reading from the socket. */
  resume(): void {
    this.socket.resume();
  }

  protected async shutdown(reason: TransportError | undefined): Promise<void> {
    const socket = this.socket;
    if (socket.readyState === socket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, CLOSE_GRACE_MS);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (reason?.code === 'heartbeat_timeout' || reason?.code === 'frame_too_large' || socket.readyState === socket.CONNECTING) {
        // A dead peer will not answer a closing handshake; an oversized sender is cut off at once.
        socket.terminate();
      } else {
        socket.close(reason === undefined ? 1000 : CLOSE_CODES[reason.code], truncateReason(reason?.message ?? 'closed'));
      }
    });
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.isClosed) return;
    let value: unknown;
    try {
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const text = bytes.toString('utf8');
      value = JSON.parse(text);
    } catch (error) {
      void this.close(
        new TransportError('frame_malformed', `${this.description} sent a ${isBinary ? 'binary' : 'text'} frame that is not valid JSON: ${(error as Error).message}`),
      );
      return;
    }
    this.deliver(value);
  }
}

/** Maps a received close code back to a reason; 1000 is a clean close. */
function reasonFromClose(code: number, text: string, description: string): TransportError | undefined {
  if (code === 1000) return undefined;
  const known = (Object.entries(CLOSE_CODES) as [TransportErrorCode, number][]).find(([, value]) => value === code && value >= 4001);
  if (known !== undefined) return new TransportError(known[0], text || `${description} closed with code ${code}`);
  if (code === 1009) return new TransportError('frame_too_large', text || `${description} refused a message as too large`);
  if (code === 1007) return new TransportError('frame_malformed', text || `${description} refused a malformed message`);
  if (code === 1005 || code === 1006 || code === 1001) {
    return new TransportError('connection_lost', `${description} went away (${code}${text ? `: ${text}` : ''})`);
  }
  return new TransportError('closed_by_peer', `${description} closed with code ${code}${text ? `: ${text}` : ''}`);
}

/** A close reason must fit in 123 bytes; cut by bytes, leaving room for a replacement character. */
function truncateReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= 123 ? text : bytes.subarray(0, 118).toString('utf8') + '…';
}
