import type { CommandContext } from 'cmd-ipc';
import { BusyError, ClosedError, HandoffRefusedError, LimitReachedError } from '../../errors/tcp-errors.js';
import type { TransferRequest, TransferResponse } from '../../schemas/commands.js';
import { type HandlerCore, messageOf } from '../core.js';

/**
 * `tcp.transfer`: hand a connection (pending or open) to another caller, active for it in one step.
 * Pushes stop while the hand-off runs and resume for the new owner with every byte kept meanwhile;
 * a push already in flight finishes for the old owner, so order holds. If the new owner does not take
 * it, the connection goes back to the old owner unchanged.
 */
export async function transfer(core: HandlerCore, request: TransferRequest, context: CommandContext): Promise<TransferResponse> {
  const connection = core.table.ownedConnection(request.connectionId, context.caller);
  if (connection.upgrading) throw new BusyError(connection.id, 'a TLS handshake is under way');
  if (connection.receiving) throw new BusyError(connection.id, 'a tcp.receive is waiting; it must finish before a transfer');
  const to = request.to;
  if (to !== connection.owner) {
    const held = core.table.connectionCount(to);
    if (held >= core.options.maxConnectionsPerOwner) {
      throw new LimitReachedError(
        `cannot transfer connection ${connection.id} to ${to}: it holds ${held} connections, the maximum per owner (maxConnectionsPerOwner)`,
      );
    }
  }
  const mode = core.resolveMode(connection.id, request.mode, request.prefix);
  const before = {
    owner: connection.owner,
    ownerChannelId: connection.ownerChannelId,
    prefix: connection.prefix,
    state: connection.state,
    mode: connection.mode,
  };
  // While the connection is the new owner's, news of the old owner leaving would not match it; the
  // claim keeps that news, so a refused hand-off does not give the connection back to nobody.
  const claim = core.claims.claim(before.owner, before.ownerChannelId);
  connection.hold();
  connection.owner = to;
  connection.ownerChannelId = core.channelOfPrefix(request.prefix);
  connection.prefix = request.prefix;
  if (connection.state === 'pending') connection.state = 'open';
  connection.mode = mode;
  try {
    await core.announceTransfer(
      {
        connectionId: connection.id,
        from: before.owner,
        mode,
        local: connection.local,
        remote: connection.remote,
        tls: connection.isTls,
      },
      request.prefix,
    );
  } catch (error) {
    if (connection.state !== 'closed') {
      connection.owner = before.owner;
      connection.ownerChannelId = before.ownerChannelId;
      connection.prefix = before.prefix;
      connection.state = before.state;
      connection.mode = before.mode;
      if (core.ownerGone(claim)) {
        connection.close('owner_gone', false, `owner ${before.owner} went away during a refused transfer to ${to}`);
      } else {
        connection.release();
      }
    }
    throw new HandoffRefusedError(connection.id, to, messageOf(error));
  } finally {
    claim.drop();
  }
  if (connection.state === 'closed') {
    throw new ClosedError('connection', connection.id, `${connection.closeReason ?? 'closed'} during the transfer`);
  }
  core.emit('tcp.connection.transferred', { connectionId: connection.id, from: before.owner, to });
  connection.release();
  return { connectionId: connection.id, owner: to, mode: connection.mode };
}
