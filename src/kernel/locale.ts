/**
 * Locales the bot speaks. zh-CN is the first and default language; `en` is the second.
 * Kept in core so that data, flows and adapters agree on the same two names.
 */
import { z } from 'zod';

/** The supported locale names, in order of preference. */
export const LOCALES = ['zh-CN', 'en'] as const;

/** One supported locale. */
export type Locale = (typeof LOCALES)[number];

/** zod schema of a supported locale name. */
export const localeSchema = z.enum(LOCALES);

/** A text given in every locale, as found in `data/` (e.g. `{ "zh-CN": "主题", "en": "Theme" }`). */
export type LocalizedText = Record<Locale, string>;

/** zod schema of a {@link LocalizedText}: both locales required and non-empty. */
export const localizedTextSchema = z.object({
  'zh-CN': z.string().min(1),
  en: z.string().min(1),
});

/** Maps a platform's language hint (`zh`, `zh-hans`, `en-US`, …) to a supported locale, if any. */
export function toLocale(hint: string | undefined): Locale | undefined {
  if (hint === undefined) return undefined;
  const lower = hint.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return undefined;
}

/** E-mail and web addresses: Latin letters whatever language their writer speaks. */
const ADDRESSES = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?:\/\/|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|edu|gov)\b\S*/giu;

/** The text without its e-mail and web addresses, for telling which language it is written in. */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESSES, ' ');
}
