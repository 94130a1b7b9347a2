/**
 * A Store decorator that counts every call, for the `/metrics` endpoint and for tests that hold the
 * engine to two store calls an update. A call is one round trip, except Redis `listFilings` (two),
 * `inboxReclaim` (a few) and an `inboxTake` that waits (a few: the take, the wait, the take again).
 * It sits right on the store, beneath the session cache, so what it counts is what reached the store.
 */
import type { StampedSessionStore } from './session-cache.js';
import type { Store } from './store.js';

/** Wraps a store; `count(operation)` is called once per call, before it resolves. */
export function instrumentStore(store: Store, count: (operation: keyof Store) => void): Store {
  return {
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
    eraseRemnants: () => (count('eraseRemnants'), store.eraseRemnants()),
    inboxAppend: (partition, body) => (count('inboxAppend'), store.inboxAppend(partition, body)),
    inboxTake: (consumer, partitions, max, waitMs) => (
      count('inboxTake'), store.inboxTake(consumer, partitions, max, waitMs)
    ),
    inboxReclaim: (consumer, partition) => (count('inboxReclaim'), store.inboxReclaim(consumer, partition)),
    inboxAck: (entries) => (count('inboxAck'), store.inboxAck(entries)),
    inboxDepth: (partitions) => (count('inboxDepth'), store.inboxDepth(partitions)),
    outboxChats: (limit) => (count('outboxChats'), store.outboxChats(limit)),
    outboxPeek: (platform, chatId, limit) => (count('outboxPeek'), store.outboxPeek(platform, chatId, limit)),
    outboxDone: (platform, chatId, id) => (count('outboxDone'), store.outboxDone(platform, chatId, id)),
    inboxAppendAndTake: (consumer, partition, body, max) => (count('inboxAppendAndTake'), store.inboxAppendAndTake(consumer, partition, body, max)),
    outboxDoneMany: (entries) => (count('outboxDoneMany'), store.outboxDoneMany(entries)),
    ping: () => (count('ping'), store.ping()),
    close: () => store.close(),
  };
}

/**
 * Wraps a store with stamped session calls (the Redis store, under the session cache); those count as
 * `begin` and `commit`, each one round trip like the plain calls.
 */
export function instrumentStampedStore(
  store: Store & StampedSessionStore,
  count: (operation: keyof Store) => void,
): Store & StampedSessionStore {
  return {
    ...instrumentStore(store, count),
    beginStamped: (input, held) => (count('begin'), store.beginStamped(input, held)),
    commitStamped: (request, expectedToken) => (count('commit'), store.commitStamped(request, expectedToken)),
  };
}
