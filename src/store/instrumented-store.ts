/**
 * A Store decorator that counts every call, for the `/metrics` endpoint and for tests that hold the
 * engine to two store calls an update. A call is one round trip, except Redis `listFilings` (two).
 */
import type { Store } from './store.js';

/** Wraps a store; `count(operation)` is called once per call, before it resolves. */
export function instrumentStore(store: Store, count: (operation: keyof Store) => void): Store {
  const held = store.held?.bind(store);
  return {
    // Not counted: it asks nothing of the store.
    ...(held === undefined ? {} : { held }),
    begin: (input) => (count('begin'), store.begin(input)),
    commit: (request) => (count('commit'), store.commit(request)),
    getFiling: (receipt) => (count('getFiling'), store.getFiling(receipt)),
    listFilings: (filter) => (count('listFilings'), store.listFilings(filter)),
    listAudit: (limit) => (count('listAudit'), store.listAudit(limit)),
    putGroup: (binding) => (count('putGroup'), store.putGroup(binding)),
    removeGroup: (platform, chatId) => (count('removeGroup'), store.removeGroup(platform, chatId)),
    getGroup: (platform, chatId) => (count('getGroup'), store.getGroup(platform, chatId)),
    listGroups: () => (count('listGroups'), store.listGroups()),
    markUnreachable: (record) => (count('markUnreachable'), store.markUnreachable(record)),
    clearUnreachable: (platform, chatId) => (count('clearUnreachable'), store.clearUnreachable(platform, chatId)),
    listUnreachable: () => (count('listUnreachable'), store.listUnreachable()),
    putDeclaration: (declaration) => (count('putDeclaration'), store.putDeclaration(declaration)),
    removeDeclaration: (eventId, district, formId) => (
      count('removeDeclaration'), store.removeDeclaration(eventId, district, formId)
    ),
    listDeclarations: (eventId) => (count('listDeclarations'), store.listDeclarations(eventId)),
    claim: (name, owner, ttlMs) => (count('claim'), store.claim(name, owner, ttlMs)),
    renewClaim: (name, owner, ttlMs) => (count('renewClaim'), store.renewClaim(name, owner, ttlMs)),
    releaseClaim: (name, owner) => (count('releaseClaim'), store.releaseClaim(name, owner)),
    recordReminder: (outcome) => (count('recordReminder'), store.recordReminder(outcome)),
    listReminders: (limit) => (count('listReminders'), store.listReminders(limit)),
    purgeEvent: (eventId, options) => (count('purgeEvent'), store.purgeEvent(eventId, options)),
    countEvent: (eventId, options) => (count('countEvent'), store.countEvent(eventId, options)),
    ping: () => (count('ping'), store.ping()),
    close: () => store.close(),
  };
}
