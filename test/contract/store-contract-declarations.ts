/**
 * Declaration and audit-change cases of the Store contract: "nothing to file" declarations keyed by
 * event, district and form (any characters), replaced when declared again, removed once, listed per
 * event by district then form, kept across reopen, isolated per open, unreadable values skipped; and
 * audit entries carrying the fields an edit changed round-trip exactly through commit and listAudit.
 */
import { expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import { toEnvelopeJson } from '../../src/store/envelope.js';
import type { AuditEntry, Declaration, GroupBinding, Store } from '../../src/store/store.js';
import type { Harness, OpenStore } from '../support/store-fixtures.js';
import { createTestClock, makeAudit, SESSION_TTL_MS, uniqueId, uniqueKey } from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

/** 市南区 declares it has no exhibit for the exhibitor form of `eventId`. */
function makeDeclaration(eventId: string, overrides: Partial<Declaration> = {}): Declaration {
  return {
    eventId,
    district: '市南区',
    formId: 'exhibitor',
    declaredBy: 'telegram:1001',
    at: '2025-05-20T01:00:00.000Z',
    ...overrides,
  };
}

/** Every declaration call, each expected to reject on a closed store. */
function declarationCalls(store: Store): Array<() => Promise<unknown>> {
  const declaration = makeDeclaration('sciweek-2025');
  return [
    () => store.putDeclaration(declaration),
    () => store.removeDeclaration(declaration.eventId, declaration.district, declaration.formId),
    () => store.listDeclarations(declaration.eventId),
  ];
}

/** Audit entries of one edit, with changed fields of every JSON shape, and two without changes. */
function makeAuditWithChanges(receipt: string): [AuditEntry, AuditEntry, AuditEntry] {
  const updated: AuditEntry = {
    ...makeAudit(receipt, 'filing.updated', '2025-05-21T02:30:00.000Z'),
    actor: 'slack:U‮evil‬',
    changes: [
      { field: 'projectName', from: '海洋科普进社区', to: '海洋科普进社区 🐙 · 2025' },
      {
        field: '联系人 📞',
        from: [{ name: '王磊', phone: '0532-85911893' }],
        to: [
          { name: '王磊', phone: '0532-85911893' },
          { name: 'Zoë "Z" \\ O\'Neil', phone: null, tags: ['é', 'e\u0301', 'ﬁ', 'Ａ１２３'] },
        ],
      },
      {
        field: 'dates',
        from: { from: '2025-05-22', to: '2025-05-28', nested: { deep: [[1, 2], { x: true }] } },
        to: { from: '2025-05-23', to: '2025-05-28', nested: { deep: [] } },
      },
      { field: 'note', from: null, to: '新增备注\nline two\ttab \u0000 nul \u202Eevil\u202C' },
      { field: 'hasLiveStream', from: true, to: null },
      { field: 'expectedVisitors', from: 0, to: -1.5 },
      { field: 'budgetYuan', from: 55_000, to: 1e21 },
      { field: 'empty', from: {}, to: [] },
      { field: '', from: '', to: false },
    ],
  };
  const noChanges: AuditEntry = { ...makeAudit(receipt, 'filing.updated', '2025-05-21T02:31:00.000Z'), changes: [] };
  const withdrawn = makeAudit(receipt, 'filing.withdrawn', '2025-05-21T02:32:00.000Z');
  return [updated, noChanges, withdrawn];
}

/** Registers the declaration and audit-change cases inside the current describe block. */
export function registerDeclarationCases(run: Run, open: OpenStore): void {
  it('puts, lists and removes declarations of an event', () =>
    run(async ({ store }) => {
      const eventId = uniqueId('decl-event');
      const exhibitor = makeDeclaration(eventId);
      const keyProject = makeDeclaration(eventId, {
        district: '崂山区',
        formId: 'key-project',
        declaredBy: 'slack:U042',
        at: '2025-05-20T09:30:00.123+08:00',
      });
      expect(await store.listDeclarations(eventId)).toEqual([]);
      await store.putDeclaration(exhibitor);
      await store.putDeclaration(keyProject);
      // 崂 (U+5D02) before 市 (U+5E02).
      expect(await store.listDeclarations(eventId)).toEqual([keyProject, exhibitor]);
      expect(await store.removeDeclaration(eventId, exhibitor.district, exhibitor.formId)).toBe(true);
      expect(await store.listDeclarations(eventId)).toEqual([keyProject]);
      expect(await store.removeDeclaration(eventId, exhibitor.district, exhibitor.formId)).toBe(false);
      expect(await store.removeDeclaration(eventId, '市北区', 'exhibitor')).toBe(false);
      expect(await store.removeDeclaration(eventId, keyProject.district, 'exhibitor')).toBe(false);
      expect(await store.listDeclarations(eventId)).toEqual([keyProject]);
    }));

  it('replaces the declaration of the same event, district and form', () =>
    run(async ({ store }) => {
      const eventId = uniqueId('decl-replace');
      const first = makeDeclaration(eventId);
      const again = makeDeclaration(eventId, { declaredBy: 'slack:U2002', at: '2025-05-21T02:00:00.000Z' });
      const otherForm = makeDeclaration(eventId, { formId: 'key-project' });
      await store.putDeclaration(first);
      await store.putDeclaration(otherForm);
      await store.putDeclaration(again);
      expect(await store.listDeclarations(eventId)).toEqual([again, otherForm]);
      expect(await store.removeDeclaration(eventId, first.district, first.formId)).toBe(true);
      expect(await store.listDeclarations(eventId)).toEqual([otherForm]);
    }));

  it('keeps the declarations of each event apart, and never confuses separators inside ids', () =>
    run(async ({ store }) => {
      const eventId = uniqueId('decl-a');
      const otherEvent = `${eventId}:b`;
      const here = makeDeclaration(eventId);
      const there = makeDeclaration(otherEvent, { declaredBy: 'telegram:2002' });
      // `a:b` + `c` and `a` + `b:c` are different declarations, whatever a store uses as separator.
      const colonInDistrict = makeDeclaration(eventId, { district: 'a:b', formId: 'c' });
      const colonInForm = makeDeclaration(eventId, { district: 'a', formId: 'b:c' });
      const quotes = makeDeclaration(eventId, { district: 'a","b', formId: 'c' });
      for (const declaration of [here, there, colonInDistrict, colonInForm, quotes]) {
        await store.putDeclaration(declaration);
      }
      expect(await store.listDeclarations(eventId)).toEqual([colonInForm, quotes, colonInDistrict, here]);
      expect(await store.listDeclarations(otherEvent)).toEqual([there]);
      expect(await store.listDeclarations(uniqueId('decl-none'))).toEqual([]);
      expect(await store.removeDeclaration(otherEvent, here.district, here.formId)).toBe(true);
      expect(await store.listDeclarations(otherEvent)).toEqual([]);
      expect(await store.listDeclarations(eventId)).toHaveLength(4);
      expect(await store.removeDeclaration(eventId, 'a', 'b:c')).toBe(true);
      expect(await store.listDeclarations(eventId)).toEqual([quotes, colonInDistrict, here]);
    }));

  it('lists declarations by district, then form id, comparing code points', () =>
    run(async ({ store }) => {
      const eventId = uniqueId('decl-order');
      const ordered = [
        makeDeclaration(eventId, { district: 'Z', formId: 'exhibitor' }),
        makeDeclaration(eventId, { district: 'a', formId: 'exhibitor' }),
        makeDeclaration(eventId, { district: '城阳区', formId: 'exhibitor' }),
        makeDeclaration(eventId, { district: '崂山区', formId: 'exhibitor' }),
        makeDeclaration(eventId, { district: '市南区', formId: 'K10' }),
        makeDeclaration(eventId, { district: '市南区', formId: 'K2' }),
        makeDeclaration(eventId, { district: '市南区', formId: 'exhibitor' }),
        makeDeclaration(eventId, { district: '市南区', formId: 'key-project' }),
        makeDeclaration(eventId, { district: '市南区', formId: '！' }),
        makeDeclaration(eventId, { district: '市南区', formId: '🧪' }),
        makeDeclaration(eventId, { district: '市南区 ', formId: 'exhibitor' }),
        // U+FF01 before U+1F3D4: code point order (SQLite, Redis), not UTF-16 order (JavaScript's `<`).
        makeDeclaration(eventId, { district: '！区', formId: 'exhibitor' }),
        makeDeclaration(eventId, { district: '🏔区', formId: 'exhibitor' }),
      ];
      const shuffled = [7, 12, 0, 9, 2, 11, 4, 1, 10, 3, 8, 6, 5].map((i) => ordered[i] ?? makeDeclaration(eventId));
      for (const declaration of shuffled) await store.putDeclaration(declaration);
      expect(await store.listDeclarations(eventId)).toEqual(ordered);
    }));

  it('round-trips unicode ids, who declared it and offsets exactly', () =>
    run(async ({ store }) => {
      const eventId = `${uniqueId('decl-unicode')} 🔬 科技周`;
      const declaration = makeDeclaration(eventId, {
        district: '崂山区 🏔 \u202Eevil\u202C «引号» "quotes" \\ back\u0000slash',
        formId: 'e\u0301 vs \u00e9 / \ufb01',
        declaredBy: 'slack:T0123:U‮evil‬',
        at: '2025-05-20T09:00:00.123+08:00',
      });
      await store.putDeclaration(declaration);
      expect(await store.listDeclarations(eventId)).toEqual([declaration]);
      // Ids are compared as stored: no Unicode normalisation, so a differently composed form id is another form.
      expect(await store.removeDeclaration(eventId, declaration.district, '\u00e9 vs \u00e9 / \ufb01')).toBe(false);
      expect(await store.removeDeclaration(eventId, declaration.district, 'e\u0301 vs \u00e9 / fi')).toBe(false);
      expect(await store.removeDeclaration(eventId, declaration.district, declaration.formId)).toBe(true);
      expect(await store.listDeclarations(eventId)).toEqual([]);
    }));

  it('rejects an invalid declaration with a StoreError and writes nothing', () =>
    run(async ({ store }) => {
      const eventId = uniqueId('decl-invalid');
      const bad = [
        makeDeclaration(''),
        makeDeclaration(eventId, { district: '' }),
        makeDeclaration(eventId, { formId: '' }),
        makeDeclaration(eventId, { declaredBy: '' }),
        makeDeclaration(eventId, { at: 'yesterday' }),
        makeDeclaration(eventId, { at: '2025-05-20 09:00' }),
        { ...makeDeclaration(eventId), declaredBy: 42 } as unknown as Declaration,
        { ...makeDeclaration(eventId), district: undefined } as unknown as Declaration,
      ];
      for (const declaration of bad) {
        await expect(store.putDeclaration(declaration)).rejects.toBeInstanceOf(StoreError);
      }
      expect(await store.listDeclarations(eventId)).toEqual([]);
      expect(await store.listDeclarations('')).toEqual([]);
    }));

  it('skips unreadable declaration values when listing, and a new declaration replaces one', ({ skip }) =>
    run(async ({ store, writeRawDeclaration }) => {
      if (writeRawDeclaration === undefined) {
        skip('this store cannot be written past');
        return;
      }
      const eventId = uniqueId('decl-unreadable');
      const damaged = makeDeclaration(eventId);
      const other = makeDeclaration(eventId, { district: '崂山区' });
      await store.putDeclaration(damaged);
      await store.putDeclaration(other);
      // A readable value written past the store is listed: the writer reaches where the store reads.
      const planted = makeDeclaration(eventId, { district: '黄岛区', formId: 'key-project' });
      await writeRawDeclaration(eventId, planted.district, planted.formId, toEnvelopeJson(planted));
      expect(await store.listDeclarations(eventId)).toEqual([other, damaged, planted]);
      const group: GroupBinding = {
        platform: 'telegram',
        chatId: '-100',
        district: damaged.district,
        boundBy: damaged.declaredBy,
        boundAt: damaged.at,
      };
      const unreadable = [
        '{not json',
        'null',
        '[]',
        '"text"',
        JSON.stringify({ v: 2, data: damaged }),
        JSON.stringify({ data: damaged }),
        toEnvelopeJson({ ...damaged, at: 'yesterday' }),
        toEnvelopeJson({ ...damaged, declaredBy: '' }),
        // A value of another kind, and well-formed declarations of another event, district or form.
        toEnvelopeJson(group),
        toEnvelopeJson({ ...damaged, eventId: `${eventId}-other` }),
        toEnvelopeJson({ ...damaged, district: other.district }),
        toEnvelopeJson({ ...damaged, formId: 'key-project' }),
      ];
      for (const text of unreadable) {
        await writeRawDeclaration(eventId, damaged.district, damaged.formId, text);
        expect(await store.listDeclarations(eventId)).toEqual([other, planted]);
      }
      // The unreadable value is still there: removing it answers true, and a new declaration replaces it.
      expect(await store.removeDeclaration(eventId, damaged.district, damaged.formId)).toBe(true);
      await writeRawDeclaration(eventId, damaged.district, damaged.formId, '{not json');
      await store.putDeclaration(damaged);
      expect(await store.listDeclarations(eventId)).toEqual([other, damaged, planted]);
    }));

  it('keeps declarations and audit changes across close and reopen', ({ skip }) =>
    run(async ({ store, reopen }) => {
      if (reopen === undefined) {
        skip('this store does not persist');
        return;
      }
      const eventId = uniqueId('decl-persist');
      const declarations = [
        makeDeclaration(eventId, { district: '崂山区' }),
        makeDeclaration(eventId, { formId: 'key-project', at: '2025-05-20T09:30:00+08:00' }),
      ];
      for (const declaration of declarations) await store.putDeclaration(declaration);
      const audit = makeAuditWithChanges(uniqueId('R'));
      const key = uniqueKey('decl-persist-audit');
      expect(await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, audit })).toEqual({
        ok: true,
        version: 1,
      });
      await store.close();
      const again = await reopen();
      expect(await again.listDeclarations(eventId)).toEqual(declarations);
      expect(await again.listAudit(10)).toEqual([...audit].reverse());
      expect(await again.removeDeclaration(eventId, '崂山区', 'exhibitor')).toBe(true);
      expect(await again.listDeclarations(eventId)).toEqual(declarations.slice(1));
    }));

  it('isolates the declarations of each open', async () => {
    const left = await open({ nowMs: createTestClock().nowMs });
    try {
      const right = await open({ nowMs: createTestClock().nowMs });
      try {
        const declaration = makeDeclaration('sciweek-2025');
        await left.store.putDeclaration(declaration);
        expect(await right.store.listDeclarations(declaration.eventId)).toEqual([]);
        expect(
          await right.store.removeDeclaration(declaration.eventId, declaration.district, declaration.formId),
        ).toBe(false);
        await right.store.putDeclaration({ ...declaration, declaredBy: 'slack:U2002' });
        expect(await left.store.listDeclarations(declaration.eventId)).toEqual([declaration]);
      } finally {
        await right.cleanup();
      }
    } finally {
      await left.cleanup();
    }
  });

  it('rejects every declaration call after close with a StoreError', () =>
    run(async ({ store }) => {
      await store.close();
      for (const call of declarationCalls(store)) await expect(call()).rejects.toBeInstanceOf(StoreError);
    }));

  it('round-trips audit entries with the fields an edit changed, and entries without, through commit', () =>
    run(async ({ store }) => {
      const receipt = uniqueId('R');
      const [updated, noChanges, withdrawn] = makeAuditWithChanges(receipt);
      const submitted = makeAudit(receipt, 'filing.submitted', '2025-05-20T01:00:00.000Z');
      const key = uniqueKey('audit-changes');
      const first = await store.commit({
        key,
        expectedVersion: 0,
        data: {},
        sessionTtlMs: SESSION_TTL_MS,
        audit: [submitted],
      });
      expect(first).toEqual({ ok: true, version: 1 });
      const edits = [updated, noChanges, withdrawn];
      const ttl = SESSION_TTL_MS;
      const second = await store.commit({ key, expectedVersion: 1, data: {}, sessionTtlMs: ttl, audit: edits });
      expect(second).toEqual({ ok: true, version: 2 });
      const listed = await store.listAudit(10);
      expect(listed).toEqual([withdrawn, noChanges, updated, submitted]);
      expect(listed[0] !== undefined && 'changes' in listed[0]).toBe(false);
      expect(listed[1]?.changes).toEqual([]);
      expect(listed[2]?.changes?.find((change) => change.field === 'note')?.from).toBeNull();
      expect(listed[2]?.changes?.find((change) => change.field === 'hasLiveStream')?.to).toBeNull();
      expect(listed[3] !== undefined && 'changes' in listed[3]).toBe(false);
      expect(await store.listAudit(2)).toEqual([withdrawn, noChanges]);
    }));
}
