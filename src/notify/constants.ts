/** Notify's notification types, key types and status values, in one place (as Notify's own API names them). */
export const NOTIFICATION_TYPES = ['email', 'sms', 'letter'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const KEY_TYPES = ['live', 'team', 'test'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const STATUS = {
  created: 'created',
  sending: 'sending',
  pending: 'pending',
  sent: 'sent',
  delivered: 'delivered',
  permanentFailure: 'permanent-failure',
  temporaryFailure: 'temporary-failure',
  technicalFailure: 'technical-failure',
  // Letters
  accepted: 'accepted',
  received: 'received',
  pendingVirusCheck: 'pending-virus-check',
  validationFailed: 'validation-failed',
  cancelled: 'cancelled',
} as const;
export type NotificationStatus = (typeof STATUS)[keyof typeof STATUS];

export const FAILURE_STATUSES: NotificationStatus[] = [STATUS.permanentFailure, STATUS.temporaryFailure, STATUS.technicalFailure];
export const FINAL_STATUSES: NotificationStatus[] = [STATUS.delivered, STATUS.received, STATUS.validationFailed, STATUS.cancelled, ...FAILURE_STATUSES];

/** The statuses staff filter the message log on, grouped as Notify's own pages do: sending, delivered, failed. */
export const STATUS_GROUPS: Record<'sending' | 'delivered' | 'failed', { label: string; statuses: NotificationStatus[] }> = {
  sending: { label: 'Sending', statuses: [STATUS.created, STATUS.sending, STATUS.pending, STATUS.accepted, STATUS.pendingVirusCheck] },
  delivered: { label: 'Delivered', statuses: [STATUS.delivered, STATUS.sent, STATUS.received] },
  failed: { label: 'Failed', statuses: [...FAILURE_STATUSES, STATUS.validationFailed] },
};

/** Each status as staff read it in the log and on a message's page. */
export const STATUS_LABELS: Record<NotificationStatus, string> = {
  [STATUS.created]: 'Sending',
  [STATUS.sending]: 'Sending',
  [STATUS.pending]: 'Sending',
  [STATUS.sent]: 'Sent (no delivery receipt)',
  [STATUS.delivered]: 'Delivered',
  [STATUS.permanentFailure]: 'Failed: the address or number does not exist',
  [STATUS.temporaryFailure]: 'Failed: the inbox or phone was not accepting messages',
  [STATUS.technicalFailure]: 'Failed: technical failure',
  [STATUS.accepted]: 'Sending to the printer',
  [STATUS.received]: 'Received by the printer',
  [STATUS.pendingVirusCheck]: 'Sending: checking the file',
  [STATUS.validationFailed]: 'Failed: the letter was not valid',
  [STATUS.cancelled]: 'Cancelled',
};

/** Statuses a client may filter on, per type; `failed` means any failure (as in Notify). */
export const FILTERABLE_STATUSES = [...new Set<string>([...Object.values(STATUS), 'failed'])];

export const POSTAGE = ['first', 'second', 'economy', 'europe', 'rest-of-world'] as const;
export type Postage = (typeof POSTAGE)[number];

/** Dispatch queue states inside the notifications table. */
export const QUEUE = { waiting: 'waiting', claimed: 'claimed' } as const;

/** One page of getNotifications / getReceivedTexts, as in Notify. */
export const PAGE_SIZE = 250;

/** Notify's published simulated recipients: never sent anywhere, they yield a known outcome. */
export const SIMULATED = {
  delivered: new Set(['simulate-delivered@notifications.service.gov.uk', 'simulate-delivered-2@notifications.service.gov.uk',
    'simulate-delivered-3@notifications.service.gov.uk', '07700900000', '07700900111', '07700900222', '+447700900000', '+447700900111', '+447700900222']),
  temporaryFailure: new Set(['temp-fail@simulator.notify', '07700900003', '+447700900003']),
  permanentFailure: new Set(['perm-fail@simulator.notify', '07700900002', '+447700900002']),
};
