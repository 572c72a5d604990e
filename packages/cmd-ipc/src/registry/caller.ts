/**
 * Decides who a request is from (PROTOCOL.md extensions, `meta.caller`).
 *
 * On an authenticated channel the peer's identity is the authority: a claimed caller is kept only when it
 * is that identity or a path beneath it, so a peer can never act as someone outside its own subtree.
 * The router channel is trusted as stamped, because the router already applied this rule at its edge.
 */
export function stampCaller(claimed: string | undefined, channel: { id: string; identity?: string | undefined }, fromRouter: boolean): string {
  const identity = channel.identity;
  if (identity === undefined || fromRouter) return claimed ?? identity ?? channel.id;
  if (claimed === identity || (claimed !== undefined && claimed.startsWith(`${identity}/`))) return claimed;
  return identity;
}
