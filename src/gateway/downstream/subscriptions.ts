/**
 * Resource subscriptions per (instance, downstream URI): which owners (client sessions) are
 * subscribed. The pool subscribes downstream on the first owner and unsubscribes on the last, so
 * one session's unsubscribe never ends another's updates, and `resources/updated` goes only to the
 * owners subscribed on the instance that sent it.
 */
import type { Instance } from './instance.js';

export class SubscriptionTable {
  private readonly byInstance = new Map<Instance, Map<string, Set<string>>>();

  /** Whether some owner is subscribed to `uri` on `instance` (so the downstream already is). */
  has(instance: Instance, uri: string): boolean {
    return (this.byInstance.get(instance)?.get(uri)?.size ?? 0) > 0;
  }

  add(instance: Instance, uri: string, owner: string): void {
    let uris = this.byInstance.get(instance);
    if (uris === undefined) this.byInstance.set(instance, (uris = new Map()));
    let owners = uris.get(uri);
    if (owners === undefined) uris.set(uri, (owners = new Set()));
    owners.add(owner);
  }

  /** Removes one owner; true when it was the last one on that instance (the downstream should unsubscribe). */
  remove(instance: Instance, uri: string, owner: string): boolean {
    const uris = this.byInstance.get(instance);
    const owners = uris?.get(uri);
    if (!owners?.delete(owner)) return false;
    if (owners.size > 0) return false;
    uris!.delete(uri);
    if (uris!.size === 0) this.byInstance.delete(instance);
    return true;
  }

  /** The instance of `group` where `owner` (or, without one, anybody) is subscribed to `uri`. */
  holder(group: readonly Instance[], uri: string, owner?: string): Instance | undefined {
    return group.find((instance) => {
      const owners = this.byInstance.get(instance)?.get(uri);
      return owners !== undefined && (owner === undefined ? owners.size > 0 : owners.has(owner));
    });
  }

  /** Owners subscribed to `uri` on `instance`. */
  owners(instance: Instance, uri: string): string[] {
    const owners = this.byInstance.get(instance)?.get(uri);
    return owners ? [...owners] : [];
  }

  /** URIs with at least one owner on `instance` (to subscribe again after a restart). */
  uris(instance: Instance): string[] {
    return [...(this.byInstance.get(instance)?.keys() ?? [])];
  }

  /** Drops every subscription of `owner`; answers the (instance, URI) pairs it was the last owner of. */
  dropOwner(owner: string): Array<[Instance, string]> {
    const emptied: Array<[Instance, string]> = [];
    for (const [instance, uris] of this.byInstance) {
      for (const uri of [...uris.keys()]) if (uris.get(uri)!.has(owner) && this.remove(instance, uri, owner)) emptied.push([instance, uri]);
    }
    return emptied;
  }

  /** Forgets an instance that stopped for good (retired or its server stopped). */
  forget(instance: Instance): void {
    this.byInstance.delete(instance);
  }
}
