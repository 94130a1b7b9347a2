/**
 * Binding a group is for staff and the group's admins: the /bind and /unbind handlers ask the
 * platform (the engine's chatAdmin port) only when a non-staff user changes the binding, once a
 * message, and a platform that cannot answer means "not an admin".
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatAdminPort } from '../../../src/bot/ports.js';
import { createHarness, translate, type Harness, type Sender } from '../../support/engine-harness.js';

const zh = translate('zh-CN');

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

describe('group admin check', () => {
  it('binds for an admin, refuses a member, and asks the platform only for a non-staff bind', async () => {
    const asked: string[] = [];
    const chatAdmin: ChatAdminPort = (who) => {
      asked.push(`${who.platform}:${who.chatId}:${who.userId}`);
      if (who.userId === 'broken') return Promise.reject(new Error('platform down'));
      return Promise.resolve(who.userId === 'admin');
    };
    const h = createHarness({ staff: ['test:boss'], chatAdmin });
    harnesses.push(h);
    const group = (userId: string): Sender => ({ userId, chatId: 'g1', chatKind: 'group' });

    expect((await h.say('/bind', group('member'))).text).toContain(zh('group.not_bound'));
    expect(asked).toEqual([]);
    expect((await h.say('/bind 市南区', group('member'))).text).toBe(zh('group.bind_refused'));
    expect((await h.say('/bind 市南区', group('broken'))).text).toBe(zh('group.bind_refused'));
    expect(await h.store.getGroup('test', 'g1')).toBeUndefined();
    expect((await h.say('/bind 市南区', group('admin'))).text).toContain(zh('group.bound', { district: '市南区' }));
    expect(await h.store.getGroup('test', 'g1')).toMatchObject({ district: 'shinan', boundBy: 'test:admin' });
    expect(asked).toEqual(['test:g1:member', 'test:g1:broken', 'test:g1:admin']);

    expect((await h.say('/unbind', group('member'))).text).toBe(zh('group.bind_refused'));
    expect((await h.say('/bind 崂山区', group('boss'))).text).toContain(zh('group.bound', { district: '崂山区' }));
    expect(asked).not.toContain('test:g1:boss');
    expect((await h.say('/unbind', group('admin'))).text).toBe(zh('group.unbound'));
    expect(await h.store.getGroup('test', 'g1')).toBeUndefined();
  });
});
