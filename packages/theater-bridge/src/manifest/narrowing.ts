import { CapabilityError } from '../errors/theater-errors.js';
import { grantOf, type Manifest } from './manifest.js';

/**
 * Refuses a child manifest that would let the child do anything its parent cannot: a handler the
 * parent lacks, a supervisor grant that may spawn manifests outside the parent's allow-list (or any
 * manifest, when the parent has a list), or a timer allowed to tick faster than the parent's. So
 * spawning, at any depth, never widens what a subtree of actors may do.
 */
export function assertNoWidening(parent: Manifest, child: Manifest, parentId: string): void {
  const refuse = (why: string): never => {
    throw new CapabilityError(`actor ${parentId} may not spawn ${child.name}: ${why}`);
  };
  for (const grant of child.handlers) {
    const own = grantOf(parent, grant.type);
    if (!own) refuse(`it grants handler "${grant.type}", which ${parent.name} lacks`);
    if (grant.type === 'supervisor') {
      const allowed = grantOf(parent, 'supervisor')?.manifests;
      if (allowed === undefined) continue;
      const wider = grant.manifests === undefined ? ['any manifest'] : grant.manifests.filter((path) => !allowed.includes(path));
      if (wider.length > 0) refuse(`its supervisor grant may spawn manifests ${parent.name} may not (${wider.join(', ')})`);
    } else if (grant.type === 'timer') {
      const floor = grantOf(parent, 'timer')?.minIntervalMs ?? 0;
      if (grant.minIntervalMs < floor) {
        refuse(`its timer minimum interval of ${grant.minIntervalMs} ms is below ${parent.name}'s ${floor} ms`);
      }
    }
  }
}
