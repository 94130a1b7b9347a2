/**
 * The shipped content (event, locales, flows, Q&A, reminder rules), loaded once per test file as the
 * bot loads it at start-up, and the ports an engine built by hand in a test is given.
 */
import { loadContent, type Content } from '../../src/app/app.js';
import type { ExportPort } from '../../src/bot/ports.js';
import { exportFilings } from '../../src/export/index.js';
import type { Qa } from '../../src/qa/answer.js';

/** The shipped content. */
export const shipped: Content = loadContent();

/** The Q&A and export ports of an engine, as the composition root gives them. */
export const botPorts: { qa: Qa; exports: ExportPort } = { qa: shipped.qa, exports: exportFilings };
