/**
 * Records the bot keeps beside filings, as plain domain data: the stores persist them and the
 * status, reminders and exports read them.
 */

/** A district's declaration that it has nothing to file for a form ("no exhibit"): counts as done. */
export interface Declaration {
  eventId: string;
  district: string;
  formId: string;
  /** `platform:userId` of who declared it. */
  declaredBy: string;
  at: string;
}
