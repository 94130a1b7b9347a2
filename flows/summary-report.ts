/**
 * 总结报告和影像资料 — after the week, by 10 June: the summary report document (DOCX, PDF or DOC), the
 * video (at most 3 minutes: refused when the platform says it is longer; accepted with a note for staff
 * when the platform gives no length), and a short text summary.
 */
import { filesField } from '../src/flow/attachments.js';
import { defineFlow } from '../src/flow/define.js';
import { choiceField, longTextField } from '../src/flow/fields.js';
import { districtOptions } from './districts.js';

const MB = 1024 * 1024;

/** The summary-report form. */
export const summaryReportFlow = defineFlow({
  id: 'summary-report',
  version: 1,
  receiptPrefix: 'SR',
  titleField: 'district',
  districtField: 'district',
  fields: [
    choiceField('district', { column: '区市', aliases: ['所属区市', '区（市）', '区市（功能区）', 'District'], options: districtOptions }),
    filesField('report', {
      column: '总结报告',
      aliases: ['报告', 'Report', 'Summary report'],
      rules: {
        kinds: [],
        documentTypes: {
          mimes: [
            'application/pdf',
            'application/msword',
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          ],
          extensions: ['pdf', 'doc', 'docx'],
        },
        // The Bot API lets a bot download files up to 20 MB.
        maxSizeBytes: 20 * MB,
        minCount: 1,
        maxCount: 1,
      },
    }),
    filesField('video', {
      column: '影像资料',
      aliases: ['视频', 'Video'],
      rules: {
        kinds: ['video'],
        documentTypes: { mimes: ['video/mp4', 'video/quicktime', 'video/x-msvideo', 'video/webm'], extensions: ['mp4', 'mov', 'avi', 'webm', 'm4v'] },
        // Kept by reference (the platform's file id): a 3-minute video may exceed the 20 MB a bot can download.
        maxSizeBytes: 500 * MB,
        minCount: 1,
        maxCount: 1,
        maxDurationSeconds: 180,
      },
    }),
    longTextField('summaryText', { column: '简要总结', aliases: ['总结', 'Summary', 'Brief summary'], minLength: 20, maxLength: 2000 }),
  ],
});
