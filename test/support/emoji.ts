/**
 * Grapheme clusters that are several code points — emoji sequences joined by U+200D, flags, tags, skin
 * tones, keycaps — for tests that check text is counted and cut by what people see as one character.
 */
export const FAMILY = '👨‍👩‍👧‍👦';
export const RAINBOW = '🏳️‍🌈';
export const PIRATE = '🏴‍☠️';
export const CODER = '👩🏽‍💻';
export const KISS = '👩‍❤️‍💋‍👨';
export const HEART_ON_FIRE = '❤️‍🔥';
export const CHINA = '🇨🇳';
export const SCOTLAND = '🏴󠁧󠁢󠁳󠁣󠁴󠁿';
export const THUMB = '👍🏽';
export const KEYCAP = '1️⃣';
