/**
 * Event Q&A, first cut: the questions contact persons ask most (when, theme, deadlines, forms,
 * contact) answered from `data/` through locale templates, and an honest "the notice does not say"
 * with the contact otherwise. Never a made-up fact.
 */
import { paragraph, textReply, type Reply } from '../core/reply.js';
import { formatShanghaiDate, shanghaiDaysUntil } from '../core/time.js';
import type { TurnContext } from '../core/turn.js';

type Topic = 'week' | 'theme' | 'deadline' | 'forms' | 'contact' | 'video';

/** Words that point at a topic, in both languages; the first topic that matches wins. */
const TOPIC_WORDS: ReadonlyArray<[Topic, RegExp]> = [
  ['video', /视频|影像|video/i],
  ['deadline', /截止|截至|期限|报送|什么时候交|几号交|deadline|due|submit by/i],
  ['contact', /联系|电话|邮箱|咨询|找谁|contact|phone|e-?mail|who/i],
  ['forms', /附件|表格|备案表|信息表|填报|form/i],
  ['theme', /主题|theme/i],
  ['week', /时间|日期|哪天|几号|什么时候|啥时候|多久|when|date|days?/i],
];

function contactLine(ctx: TurnContext): string {
  const c = ctx.event.contact;
  return ctx.t('qa.contact', { person: c.person[ctx.locale], office: c.office[ctx.locale], phone: c.phone, email: c.email, address: c.address[ctx.locale] });
}

function daysNote(ctx: TurnContext, date: string): string {
  const days = shanghaiDaysUntil(date, ctx.now);
  if (days > 0) return ctx.t('qa.days_left', { days });
  return days === 0 ? ctx.t('qa.today') : ctx.t('qa.over');
}

/** Answers a question from the event data, in the user's language. */
export function answerQuestion(question: string, ctx: TurnContext): Reply {
  const topic = TOPIC_WORDS.find(([, words]) => words.test(question))?.[0];
  const { event, locale, t } = ctx;
  switch (topic) {
    case 'week':
      return textReply(
        t('qa.week', {
          start: formatShanghaiDate(event.week.start, locale),
          end: formatShanghaiDate(event.week.end, locale),
          section: event.week.section[locale],
        }),
        daysNote(ctx, event.week.start),
      );
    case 'theme':
      return textReply(t('qa.theme', { theme: event.theme.text[locale], section: event.theme.section[locale] }));
    case 'deadline':
      return textReply(
        ...event.deadlines.map((d) =>
          t('qa.deadline', { title: d.title[locale], date: formatShanghaiDate(d.date, locale), section: d.section[locale], left: daysNote(ctx, d.date) }),
        ),
      );
    case 'forms':
      return {
        kind: 'text',
        blocks: [
          paragraph(t('qa.forms_intro')),
          ...event.forms.map((f) => paragraph(`${f.attachment === undefined ? '' : t('qa.attachment', { n: f.attachment })}${f.title[locale]}${ctx.flows.has(f.id) ? ` — /file ${f.id}` : ''}`)),
        ],
      };
    case 'contact':
      return textReply(contactLine(ctx));
    case 'video':
      return textReply(t('qa.video', { minutes: event.summaryReport.videoMaxSeconds / 60, section: event.summaryReport.section[locale] }));
    default:
      return textReply(t('qa.unknown'), contactLine(ctx));
  }
}
