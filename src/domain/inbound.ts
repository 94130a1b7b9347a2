/**
 * The neutral inbound message. Every adapter turns its platform's update into one of these, so the
 * engine never sees a grammY or Bolt type.
 */

/** A file that came with a message (a photo, a document, a video). */
export interface InboundAttachment {
  kind: 'photo' | 'document' | 'video' | 'audio' | 'other';
  name?: string;
  mime?: string;
  sizeBytes?: number;
  durationSeconds?: number;
  /**
   * The platform's own reference to fetch the file later (Telegram file_id, Slack file id); empty when
   * the platform's entry carried none it could be fetched by — such a file is refused on its own.
   */
  fileRef: string;
  /** The platform's stable id of the file itself (Telegram file_unique_id), when it has one. */
  uniqueId?: string;
}

/** One message or button press, as the engine sees it. */
export interface Inbound {
  platform: string;
  chat: { id: string; kind: 'private' | 'group' };
  user: {
    id: string;
    displayName: string;
    localeHint?: string;
  };
  /** What the user typed, if anything. */
  text?: string;
  /** A whole form submitted at once (a Slack modal): each field's text, and files per file field. */
  form?: { flowId: string; values: Record<string, string>; files?: Record<string, InboundAttachment[]>; viewId?: string };
  /** The payload of a pressed button, if this is a button press. */
  action?: string;
  attachments?: InboundAttachment[];
  /**
   * The update came with fields of the wrong type (text that is a number, a sender without an id, a
   * button press without its payload): it says where to answer, but not what was sent. It is answered
   * with an apology asking to send it again, and nothing else is read from it.
   */
  unreadable?: true;
  /** The platform's id of this delivery (Telegram update_id, Slack event id) for dedupe. */
  deliveryId?: string;
  receivedAt: Date;
}
