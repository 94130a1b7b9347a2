/**
 * The input parsers every form field uses, in one import: clean-up, the result type and one
 * parser/formatter pair per kind of value.
 */
export { fail, ok, type ParseFailure, type ParseParams, type ParseResult, type ParseSuccess } from './result.js';
export { cleanText, normalizeLine, normalizeText } from './normalize.js';
export { MAX_INPUT_LENGTH, prepareInput, stripAffixes, stripLabel, type PreparedInput } from './input.js';
export { parseNumeral, type Decimal } from './numeral.js';
export { formatPhone, parsePhone, type PhoneOptions } from './phone.js';
export { DEFAULT_MAX_YUAN, formatMoneyYuan, parseMoneyYuan, type MoneyOptions } from './money.js';
export { formatInteger, parsePositiveInteger, type IntegerOptions } from './integer.js';
export { formatDateOrRange, MAX_RANGE_DAYS, parseDateOrRange, type DateOptions, type DateRange } from './date.js';
export { formatTimeSpan, readTimeSpan, type TimeSpan } from './time.js';
export { formatPostalCode, parsePostalCode } from './postal.js';
export { formatEmail, MAX_EMAIL_LENGTH, parseEmail } from './email.js';
