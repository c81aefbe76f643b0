// The spec's 65536-byte limit applies to the complete event in federation format, not to the
// request body, so the stand-in measures the PDU the server would sign.
import type { ClientEvent } from './types.ts';

export const MAX_EVENT_BYTES = 65536;

// Lengths of the fields federation adds: room v4+ event IDs, a sha256 hash and an ed25519 signature.
const EVENT_ID = `$${'A'.repeat(43)}`;
const HASH = 'h'.repeat(43);
const SIGNATURE = 's'.repeat(86);

export function federationBytes(ev: ClientEvent, serverName: string): number {
  const pdu = {
    auth_events: [EVENT_ID, EVENT_ID, EVENT_ID],
    content: ev.content,
    depth: 1_000_000,
    hashes: { sha256: HASH },
    origin_server_ts: ev.origin_server_ts,
    prev_events: [EVENT_ID],
    room_id: ev.room_id,
    sender: ev.sender,
    signatures: { [serverName]: { 'ed25519:a_sandbox': SIGNATURE } },
    type: ev.type,
    unsigned: { age_ts: ev.origin_server_ts },
  };
  return Buffer.byteLength(JSON.stringify(pdu), 'utf8');
}
