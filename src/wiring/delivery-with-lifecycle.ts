import { Delivery, type DeliveryOptions } from '../delivery/delivery.js';
import type { Renderer } from '../delivery/renderer.js';
import type { RepeatPolicy } from '../lifecycle/dedup.js';
import type { GroupStates } from '../lifecycle/group-states.js';
import { MessageLifecycle } from '../lifecycle/message-lifecycle.js';
import type { MessageMemory } from '../lifecycle/message-memory.js';

export interface LifecycleParts {
  renderer: Renderer;
  /** Where each group's message is, so updates edit it; without it every update is a new message. */
  memory?: MessageMemory | undefined;
  /** Each group's current state, so a message shared by several groups is edited when one changes. */
  states?: GroupStates | undefined;
  /** What a repeat of the state a group's message shows does (dedup.repeat). */
  repeat?: RepeatPolicy | undefined;
}

/** Delivery planning its messages with the message lifecycle over this memory. */
export function deliveryWithLifecycle(o: Omit<DeliveryOptions, 'planner'>, parts: LifecycleParts): Delivery {
  const planner: MessageLifecycle = new MessageLifecycle({
    memory: parts.memory,
    states: parts.states,
    repeat: parts.repeat ?? 'repost',
    // Delivery owns the webhook pool; the lifecycle asks it only once jobs are planned.
    webhooks: { live: (webhookId): boolean => delivery.webhookLive(webhookId) },
    renderer: parts.renderer,
  });
  const delivery: Delivery = new Delivery({ ...o, planner });
  return delivery;
}
