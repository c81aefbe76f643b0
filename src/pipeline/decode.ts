// Pure decoding of a delivery: which bytes were signed (JSON body, or the `payload` field of a form
// body — Gitea signs the JSON either way), then JSON parse and per-event schema check, with the
// path of the first bad field for the 400 answer.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { SUPPORTED_EVENTS, type EventPayload, type SupportedEvent } from '../events/payloads.ts';
// PAYLOAD_SCHEMAS compiled ahead of time (`npm run gen:validators`).
import * as compiled from '../generated/payload-validators.ts';

export type Extracted = { ok: true; signed: Buffer; form: boolean } | { ok: false; kind: 'unsupported_media' | 'bad_request'; detail: string };

/** How a content type carries the signed JSON: the raw body, a form's `payload`, or not at all. */
export function bodyKind(contentType: string | null | undefined): { kind: 'json' } | { kind: 'form' } | { kind: 'unsupported'; detail: string } {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return { kind: 'json' };
  if (type === 'application/x-www-form-urlencoded') return { kind: 'form' };
  return { kind: 'unsupported', detail: `content type "${type || '(none)'}" is not supported: configure the hook with content type json (or form)` };
}

export function extractSigned(contentType: string | null | undefined, body: Buffer): Extracted {
  const kind = bodyKind(contentType);
  if (kind.kind === 'json') return { ok: true, signed: body, form: false };
  if (kind.kind === 'form') {
    const payload = new URLSearchParams(body.toString('latin1')).get('payload');
    if (payload === null) return { ok: false, kind: 'bad_request', detail: 'form body has no "payload" field' };
    // URLSearchParams decodes %XX as UTF-8 already; re-encode the string to the bytes Gitea signed.
    return { ok: true, signed: Buffer.from(payload, 'utf8'), form: true };
  }
  return { ok: false, kind: 'unsupported_media', detail: kind.detail };
}

const validators = Object.fromEntries(SUPPORTED_EVENTS.map((e) => [e, compiled[`payload_${e}`] as unknown as ValidateFunction]));

export function isSupportedEvent(event: string): event is SupportedEvent {
  return (SUPPORTED_EVENTS as readonly string[]).includes(event);
}

export type Parsed = { ok: true; value: EventPayload } | { ok: false; detail: string };

export function parseJson(signed: Buffer): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, value: JSON.parse(signed.toString('utf8')) };
  } catch (e) {
    return { ok: false, detail: `body is not valid JSON: ${(e as Error).message}` };
  }
}

export function parseEvent(event: SupportedEvent, json: unknown): Parsed {
  const validate = validators[event]!;
  if (!validate(json)) {
    const err = validate.errors?.[0];
    const path = err ? 'body' + err.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.') : 'body';
    const what = err?.keyword === 'required' ? `is missing "${(err.params as { missingProperty: string }).missingProperty}"` : err?.message ?? 'is invalid';
    return { ok: false, detail: `${event} payload: ${path} ${what}` };
  }
  return { ok: true, value: { event, payload: json } as EventPayload };
}
