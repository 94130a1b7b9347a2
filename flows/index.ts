/**
 * The registry of forms the bot offers. Adding a form is a new file in `flows/` and a line here.
 */
import type { FlowDefinition } from '../src/flow/define.js';
import { exhibitorFlow } from './exhibitor.js';
import { keyProjectFlow } from './key-project.js';
import { openInstitutionsFlow } from './open-institutions.js';
import { summaryReportFlow } from './summary-report.js';

/** Every flow, in the order the menu shows them. */
export const allFlows: readonly FlowDefinition[] = [exhibitorFlow, keyProjectFlow, openInstitutionsFlow, summaryReportFlow];
