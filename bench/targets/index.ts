/**
 * The measured bots by name. Each is imported only when asked for, so a target's process loads
 * nothing of the others (a fair peak RSS).
 */
import type { Target, TargetName, TargetOptions } from './target.js';

/** Every target, in the order the report lists them. */
export const TARGET_NAMES: readonly TargetName[] = ['ours', 'telegraf', 'grammyConversations'];

/** True for a known target name. */
export function isTargetName(name: string): name is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(name);
}

/** Builds the target `name` on the given Redis. */
export async function createTarget(name: TargetName, options: TargetOptions): Promise<Target> {
  switch (name) {
    case 'ours':
      return (await import('./ours.js')).createOursTarget(options);
    case 'telegraf':
      return (await import('../peers/telegraf-wizard.js')).createTelegrafTarget(options);
    case 'grammyConversations':
      return (await import('../peers/grammy-conversations.js')).createConversationsTarget(options);
  }
}
