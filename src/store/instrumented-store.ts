/**
 * A Store decorator that counts every call, for the `/metrics` endpoint and for tests that hold the
 * engine to two store calls an update. A call is one round trip, except Redis `listFilings` (two).
 */
import type { Store } from './store.js';

/** Wraps a store; `count(operation)` is called once per call, before it resolves. */
export function instrumentStore(store: Store, count: (operation: keyof Store) => void): Store {
  return {
    begin: (input) => (count('begin'), store.begin(input)),
    commit: (request) => (count('commit'), store.commit(request)),
    markDelivered: (id, ttlMs) => (count('markDelivered'), store.markDelivered(id, ttlMs)),
    getFiling: (receipt) => (count('getFiling'), store.getFiling(receipt)),
    listFilings: (filter) => (count('listFilings'), store.listFilings(filter)),
    listAudit: (limit) => (count('listAudit'), store.listAudit(limit)),
    ping: () => (count('ping'), store.ping()),
    close: () => store.close(),
  };
}
