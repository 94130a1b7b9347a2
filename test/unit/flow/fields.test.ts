/**
 * The fields of every shipped flow: refusals come with a localized reason, and every valid answer,
 * typed, sent as files or given as rows, is kept in the field's stored schema and shown back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import type { JsonValue } from '../../../src/kernel/json.js';
import { checkFile, filesOf, isFilesField } from '../../../src/flow/attachments.js';
import type { FieldContext, FieldSpec, FlowDefinition } from '../../../src/flow/define.js';
import { rowsOf, type Row } from '../../../src/flow/repeat.js';
import { i18n, runnerContext } from '../../support/engine-harness.js';
import { fieldAnswer, type FieldAnswer } from '../../support/field-answers.js';

const ctx: FieldContext = runnerContext('zh-CN');

/** Both languages: a value is shown, and read back, in the user's language. */
const CONTEXTS: readonly FieldContext[] = [ctx, runnerContext('en')];

/** Runs of the valid-answer property per field and language. */
const RUNS = 100;

const SAMPLES = ['', ' ', 'abc', '0', '-5', '3.5', '12345', '2月30日', 'a@b', '5月28日-22日', '1'.repeat(3000), '200-300人', '３-５万', '+86', '0532-1', '１３８'];

/** Every field of a flow and every column of its repeating groups, as `field` or `field.column`. */
function fieldPaths(flow: FlowDefinition): string[] {
  return flow.fields.flatMap((field) => [field.id, ...(field.repeat?.rowFields ?? []).map((column) => `${field.id}.${column.id}`)]);
}

/**
 * Gives a field its answer as the runner's steps do (the text to the field's parser, each file to the
 * file check, each cell to its column's parser), expects every part accepted with the value it was
 * written from, counts each accepted cell, and returns the field's value.
 */
function take(field: FieldSpec, answer: FieldAnswer, context: FieldContext, count: (fieldPath: string) => void): JsonValue {
  switch (answer.kind) {
    case 'typed': {
      expect(field.parse(answer.text, context), JSON.stringify(answer.text)).toEqual({ ok: true, value: answer.expected });
      return answer.expected;
    }
    case 'files': {
      if (!isFilesField(field)) throw new Error(`${field.id} is not a file field`);
      expect(answer.files.map((file) => checkFile(file, field.rules))).toEqual(answer.expected.map((value) => ({ ok: true, value })));
      return answer.expected as JsonValue;
    }
    case 'rows': {
      const columns = field.repeat?.rowFields ?? [];
      return answer.rows.map((cells) => {
        const row: Row = {};
        for (const column of columns) {
          const cell = cells[column.id];
          if (cell === undefined) throw new Error(`no answer for column ${column.id}`);
          if (cell === null) {
            expect(column.optional, `${column.id} skipped`).toBe(true);
            row[column.id] = null;
            continue;
          }
          row[column.id] = take(column, cell, context, count);
          count(`${field.id}.${column.id}`);
        }
        return row;
      });
    }
  }
}

/**
 * The value as the user is shown it: a typed value reads back as itself; files are counted and named;
 * rows are shown in order, each with its label and every cell, and each cell reads back as itself.
 */
function showsBack(field: FieldSpec, value: JsonValue, context: FieldContext): void {
  const shown = field.format(value, context);
  if (field.kind === 'files') {
    const files = filesOf(value);
    expect(shown).toContain(context.t('flow.files_count', { count: files.length }));
    for (const file of files) if (file.name !== undefined) expect(shown).toContain(file.name);
    return;
  }
  const spec = field.repeat;
  if (spec === undefined) {
    expect(field.parse(shown, context), shown).toEqual({ ok: true, value });
    return;
  }
  // Each part is looked for after the one before it, so the rows and their cells are shown in order.
  let from = 0;
  const expectNext = (part: string): void => {
    const at = shown.indexOf(part, from);
    expect(at, part).toBeGreaterThanOrEqual(from);
    from = at + part.length;
  };
  for (const [i, row] of rowsOf(value).entries()) {
    expectNext(context.t('flow.row_label', { n: i + 1 }));
    for (const column of spec.rowFields) {
      const cell = row[column.id];
      if (cell === undefined || cell === null) continue;
      const cellShown = column.format(cell, context);
      expectNext(cellShown);
      expect(column.parse(cellShown, context), cellShown).toEqual({ ok: true, value: cell });
    }
  }
}

describe('fields of every flow', () => {
  for (const flow of allFlows) {
    it(`${flow.id}: every rejection has a localized reason`, () => {
      const codes = new Set<string>();
      for (const field of flow.fields) {
        for (const sample of SAMPLES) {
          const result = field.parse(sample, ctx);
          if (!result.ok) codes.add(result.error);
        }
        fc.assert(
          fc.property(fc.string({ maxLength: 60 }), (text) => {
            const result = field.parse(text, ctx);
            if (!result.ok) codes.add(result.error);
          }),
          { numRuns: 200 },
        );
      }
      // Every field kind of the flow is exercised: several reasons per kind come back.
      expect(codes.size).toBeGreaterThan(new Set(flow.fields.map((f) => f.kind)).size);
      for (const code of codes) expect(i18n.has(`errors.${code}`), code).toBe(true);
    });

    for (const context of CONTEXTS) {
      it(`${flow.id}: every field takes valid answers into its stored schema and formats them back (${context.locale})`, () => {
        const accepted = new Map<string, number>();
        const count = (fieldPath: string): void => {
          accepted.set(fieldPath, (accepted.get(fieldPath) ?? 0) + 1);
        };
        for (const field of flow.fields) {
          fc.assert(
            fc.property(fieldAnswer(field, context), (answer) => {
              const value = take(field, answer, context, count);
              expect(field.schema.safeParse(value).success).toBe(true);
              expect(field.isComplete?.(value) ?? true).toBe(true);
              const warning = field.warn?.(value, context);
              if (warning !== undefined) expect(i18n.has(warning.key), warning.key).toBe(true);
              showsBack(field, value, context);
              count(field.id);
            }),
            { numRuns: RUNS },
          );
        }
        // Every field and every column of a repeating group took valid answers in every run.
        expect([...accepted.keys()].sort()).toEqual(fieldPaths(flow).sort());
        for (const field of flow.fields) expect(accepted.get(field.id), field.id).toBe(RUNS);
        for (const field of flow.fields) {
          const spec = field.repeat;
          if (spec === undefined) continue;
          for (const column of spec.rowFields) {
            if (!column.optional) expect(accepted.get(`${field.id}.${column.id}`), column.id).toBeGreaterThanOrEqual(RUNS * spec.minRows);
          }
        }
      });
    }
  }

  it('text fields keep Chinese punctuation as the user wrote it', () => {
    const summary = allFlows.find((f) => f.id === 'key-project')?.fields.find((f) => f.id === 'summary');
    const text = '活动面向青少年开放，内容包括：展览（免费）、讲座！参加人员为中小学生。';
    expect(summary?.parse(text, ctx)).toEqual({ ok: true, value: text });
  });
});
