// Identifiers derived from what they name, so a retry or a restart computes the same one: the run
// of a delivery, the Matrix txnId of a notice (delivery + room) or of a digest (its members + room).
import { createHash } from 'node:crypto';

const b64 = (s: string) => createHash('sha256').update(s).digest('base64url');

export const runIdOf = (deliveryId: string) => 'run_' + createHash('sha256').update(deliveryId).digest('hex').slice(0, 20);
export const noticeTxnId = (deliveryId: string, room: string) => 'grm1n-' + b64(`${deliveryId}\n${room}`).slice(0, 32);
/** From the members' delivery ids (stable content), never outbox row ids (reused after a database reset). */
export const digestTxnId = (memberDeliveryIds: string[], room: string) => 'grm2d-' + b64(`${memberDeliveryIds.join('\n')}\n\n${room}`).slice(0, 32);
export const triggerCallId = (deliveryId: string, trigger: string) => 'grm1t-' + b64(`${deliveryId}\n${trigger}`).slice(0, 32);

/** Synthetic deliveries made by catch-up carry this prefix (and the range they announce). */
export const CATCH_UP_PREFIX = 'catch-up:';
export const isCatchUp = (deliveryId: string) => deliveryId.startsWith(CATCH_UP_PREFIX);
