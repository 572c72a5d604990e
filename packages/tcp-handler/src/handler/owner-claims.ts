/** An owner an operation is acting for across an await; marked when that owner goes away meanwhile. */
export interface OwnerClaim {
  readonly owner: string;
  readonly channelId: string | undefined;
  /** True once owner-loss news matched this claim. */
  readonly gone: boolean;
  /** Stops watching (call when the operation ends, in a finally). */
  drop(): void;
}

interface MutableClaim extends OwnerClaim {
  gone: boolean;
}

/**
 * Owners of operations still under way (a connect, a listen, a hand-off). Owner-loss news closes what
 * an owner holds in the table; an operation that has not yet entered the table would miss that news
 * and later hand a socket to nobody, so the news is also recorded here for it to check after its await.
 */
export class OwnerClaims {
  private readonly claims = new Set<MutableClaim>();

  /** Starts watching for `owner` (reached through `channelId`) to go away. */
  claim(owner: string, channelId: string | undefined): OwnerClaim {
    const claims = this.claims;
    const claim: MutableClaim = {
      owner,
      channelId,
      gone: false,
      drop() {
        claims.delete(claim);
      },
    };
    claims.add(claim);
    return claim;
  }

  /** Marks every claim whose owner matches as gone. */
  markGone(matches: (owner: string, channelId: string | undefined) => boolean): void {
    for (const claim of this.claims) if (matches(claim.owner, claim.channelId)) claim.gone = true;
  }
}
