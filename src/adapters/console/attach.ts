/**
 * `/attach <path>` in the console chat: a local file becomes an attachment, as a photo, video or
 * document would from a platform, so every form that takes files can be tried locally.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { InboundAttachment } from '../../domain/inbound.js';

const TYPES: Record<string, { kind: InboundAttachment['kind']; mime: string }> = {
  jpg: { kind: 'photo', mime: 'image/jpeg' },
  jpeg: { kind: 'photo', mime: 'image/jpeg' },
  png: { kind: 'photo', mime: 'image/png' },
  webp: { kind: 'photo', mime: 'image/webp' },
  heic: { kind: 'photo', mime: 'image/heic' },
  mp4: { kind: 'video', mime: 'video/mp4' },
  mov: { kind: 'video', mime: 'video/quicktime' },
  m4v: { kind: 'video', mime: 'video/mp4' },
  webm: { kind: 'video', mime: 'video/webm' },
  avi: { kind: 'video', mime: 'video/x-msvideo' },
  pdf: { kind: 'document', mime: 'application/pdf' },
  doc: { kind: 'document', mime: 'application/msword' },
  docx: { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
};

/** The attachment for a local file, or undefined when there is no such file. */
export async function attachLocalFile(filePath: string): Promise<InboundAttachment | undefined> {
  const absolute = path.resolve(filePath.trim().replace(/^["']|["']$/g, ''));
  const info = await stat(absolute).catch(() => undefined);
  if (info?.isFile() !== true) return undefined;
  const extension = path.extname(absolute).slice(1).toLowerCase();
  const type = TYPES[extension] ?? { kind: 'document' as const, mime: 'application/octet-stream' };
  // A console has no way to read a video's length: the flow notes that staff will check it.
  return { kind: type.kind, mime: type.mime, name: path.basename(absolute), sizeBytes: info.size, fileRef: `file://${absolute}` };
}
