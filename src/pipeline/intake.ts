// The receive path up to the 202: verify -> decode -> route -> dedupe + store. Nothing is
// acknowledged before it is durably stored; repeats (same delivery id, or a replay with the same
// bytes) are recognised atomically by the store. Outcomes are domain kinds; http/ maps them to statuses.
import { createHash, randomUUID } from 'node:crypto';
import { checkSignature, incrementalCheck, signatureFromHeaders, type IncrementalCheck, type SignatureCheck } from './verify.ts';
import { bodyKind, extractSigned, isSupportedEvent, parseEvent, parseJson } from './decode.ts';
import { route, isDeclared } from './route.ts';
import { classify } from '../events/classify.ts';
import { runIdOf } from './ids.ts';
import type { RuntimeRef } from '../runtime/runtime.ts';
import type { CallRecord, Inbox } from '../adapters/store/types.ts';
import type { Logger } from '../log.ts';

export type IntakeOutcome =
  | { kind: 'accepted'; deliveryId: string; event: string; repo: string }
  | { kind: 'duplicate'; deliveryId: string; of: string; by: 'delivery_id' | 'body' }
  | { kind: 'ignored'; deliveryId: string; reason: string }
  | { kind: 'rejected'; deliveryId: string; error: 'unauthorized' | 'bad_request' | 'unsupported_media'; detail: string; verified?: true };

export interface IntakeRequest {
  header(name: string): string | null | undefined;
  body: Buffer;
  receivedAt: number;
  /** ms spent reading the body */
  readMs: number;
  /** The signature over the raw body, checked as it arrived (precheck's verifier); JSON bodies only. */
  signature?: SignatureCheck;
}

export interface IntakeDeps {
  runtime: RuntimeRef;
  store: Pick<Inbox, 'insertDelivery'>;
  logger: Logger;
  now?: () => number;
  /** A delivery was stored: wake the worker. */
  onAccepted?: () => void;
  /** A signed delivery from repo verified: the hook works (health "ready"). */
  onVerified?: (repo: string) => void;
  /** A delivery failed verification; `signed` is the (unverified) JSON it carried, for health's count only. */
  onUnverified?: (signed: Buffer) => void;
  /** Gitea reported a repository event (e.g. created): reconcile it now. */
  onRepositoryEvent?: (repo: string, action: string) => void;
}

const WHY: Record<'missing' | 'malformed' | 'mismatch', string> = {
  missing: 'no X-Gitea-Signature (or X-Hub-Signature-256) header',
  malformed: 'signature is not 64 hex digits',
  mismatch: 'signature does not match webhook.secret or previous_secrets',
};

export type Precheck =
  | { ok: false; error: 'unauthorized' | 'unsupported_media'; detail: string }
  /** verifier: feed it the raw body as it arrives (null for a form body: Gitea signs its decoded payload). */
  | { ok: true; verifier: IncrementalCheck | null };

/** What the headers alone decide, before a byte of the body is read (or held in memory). */
export function precheck(header: IntakeRequest['header'], secrets: RuntimeSecrets): Precheck {
  const kind = bodyKind(header('content-type'));
  if (kind.kind === 'unsupported') return { ok: false, error: 'unsupported_media', detail: kind.detail };
  const provided = signatureFromHeaders(header);
  const shape = incrementalCheck(provided, []).result(); // missing or malformed, whatever the secrets
  if (!shape.ok && shape.reason !== 'mismatch') return { ok: false, error: 'unauthorized', detail: WHY[shape.reason] };
  return { ok: true, verifier: kind.kind === 'json' ? incrementalCheck(provided, secrets) : null };
}
type RuntimeSecrets = ReturnType<RuntimeRef['get']>['secrets'];

function deliveryIdOf(req: IntakeRequest): string | null {
  for (const h of ['x-gitea-delivery', 'x-forgejo-delivery', 'x-gogs-delivery', 'x-github-delivery']) {
    const v = req.header(h)?.trim();
    if (v) return v.slice(0, 200);
  }
  return null;
}

export async function intake(req: IntakeRequest, deps: IntakeDeps): Promise<IntakeOutcome> {
  const now = deps.now ?? Date.now;
  const rt = deps.runtime.get();
  const calls: CallRecord[] = [{ step: 'receive', startedAt: req.receivedAt, durationMs: req.readMs, outcome: 'ok', detail: `${req.body.length} bytes` }];
  const headerId = deliveryIdOf(req);
  const deliveryId = headerId ?? `unidentified-${randomUUID()}`;
  const reject = (error: 'unauthorized' | 'bad_request' | 'unsupported_media', detail: string): IntakeOutcome => ({ kind: 'rejected', deliveryId, error, detail });

  const extracted = extractSigned(req.header('content-type'), req.body);
  if (!extracted.ok) return reject(extracted.kind, extracted.detail);

  const t0 = performance.now();
  const sig = req.signature && !extracted.form ? req.signature : checkSignature(extracted.signed, signatureFromHeaders(req.header), rt.secrets);
  if (!sig.ok) {
    deps.onUnverified?.(extracted.signed);
    return reject('unauthorized', WHY[sig.reason]);
  }
  const rejectSigned = (detail: string): IntakeOutcome => ({ kind: 'rejected', deliveryId, error: 'bad_request', detail, verified: true });
  calls.push({ step: 'verify', startedAt: now(), durationMs: performance.now() - t0, outcome: 'ok', detail: sig.secretIndex === 0 ? 'current secret' : `previous secret #${sig.secretIndex}` });

  const event = (req.header('x-gitea-event') ?? req.header('x-forgejo-event') ?? req.header('x-gogs-event') ?? '').trim();
  if (!event) return rejectSigned('missing X-Gitea-Event header');
  const json = parseJson(extracted.signed);
  if (!json.ok) return rejectSigned(json.detail);

  if (event === 'repository') {
    const p = json.value as { action?: string; repository?: { full_name?: string } };
    const repo = p?.repository?.full_name;
    if (typeof repo === 'string' && isDeclared(rt.routes, repo)) deps.onRepositoryEvent?.(repo, String(p.action ?? ''));
    return { kind: 'ignored', deliveryId, reason: `repository event${repo ? ` for ${repo}` : ''}: reconcile triggered, nothing to announce` };
  }
  if (!isSupportedEvent(event)) return { kind: 'ignored', deliveryId, reason: `event "${event}" is not handled` };
  const parsed = parseEvent(event, json.value);
  if (!parsed.ok) return rejectSigned(parsed.detail);

  const item = classify(parsed.value);
  deps.onVerified?.(item.repo.full_name);
  const routed = route(rt.routes, { repo: item.repo.full_name, event, refType: item.ref_type, refName: item.ref_name });
  if ('ignored' in routed) return { kind: 'ignored', deliveryId, reason: routed.ignored };

  const t1 = performance.now();
  const bodySha256 = createHash('sha256').update(extracted.signed).digest('hex');
  const inserted = await deps.store.insertDelivery({
    deliveryId,
    runId: runIdOf(deliveryId),
    bodySha256,
    event,
    repo: item.repo.full_name,
    body: extracted.signed.toString('utf8'),
    receivedAt: req.receivedAt,
    calls: [...calls, { step: 'dedupe', startedAt: now(), durationMs: 0, outcome: 'new', detail: null }, { step: 'enqueue', startedAt: now(), durationMs: performance.now() - t1, outcome: 'ok', detail: null }],
  });
  if (!inserted.inserted) return { kind: 'duplicate', deliveryId, of: inserted.duplicateOf, by: inserted.by };
  deps.onAccepted?.();
  return { kind: 'accepted', deliveryId, event, repo: item.repo.full_name };
}
