// The key endpoints of the spec's end-to-end encryption module: POST /keys/upload, /keys/query,
// /keys/claim and PUT /sendToDevice/{eventType}/{txnId} (idempotent per device and path, like
// room sends). Cross-signing keys are not modelled: queries answer with device keys only.
import { PREFIX, authenticate, json, matrixError, rawPath, readJsonObject } from './http.ts';
import type { RouteDef, RouteDeps } from './routes.ts';
import { txnKey } from './txns.ts';
import type { Json } from './keys.ts';

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function keyRoutes({ state, txns }: RouteDeps): RouteDef[] {
  return [
    {
      method: 'POST',
      path: `${PREFIX}/keys/upload`,
      handler: async (event) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const body = await readJsonObject(event);
        if (body instanceof Response) return body;
        const { device_keys: dk, one_time_keys: otk, fallback_keys: fb } = body.value;
        if (dk !== undefined && (!isObject(dk) || dk.user_id !== user.userId || dk.device_id !== user.deviceId)) {
          return matrixError(400, 'M_INVALID_PARAM', 'device_keys must name the uploading user and device');
        }
        if ((otk !== undefined && !isObject(otk)) || (fb !== undefined && !isObject(fb))) return matrixError(400, 'M_BAD_JSON', 'one_time_keys and fallback_keys must be objects');
        const counts = state.keys.upload(user.userId, user.deviceId, { device_keys: dk as Json | undefined, one_time_keys: otk as Json | undefined, fallback_keys: fb as Json | undefined });
        return json(200, { one_time_key_counts: counts });
      },
    },
    {
      method: 'POST',
      path: `${PREFIX}/keys/query`,
      handler: async (event) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const body = await readJsonObject(event);
        if (body instanceof Response) return body;
        const asked = body.value.device_keys;
        if (!isObject(asked) || !Object.values(asked).every((v) => Array.isArray(v) && v.every((d) => typeof d === 'string'))) {
          return matrixError(400, 'M_BAD_JSON', 'device_keys must map user ids to lists of device ids');
        }
        return json(200, { device_keys: state.keys.query(asked as Record<string, string[]>), failures: {} });
      },
    },
    {
      method: 'POST',
      path: `${PREFIX}/keys/claim`,
      handler: async (event) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const body = await readJsonObject(event);
        if (body instanceof Response) return body;
        const asked = body.value.one_time_keys;
        if (!isObject(asked) || !Object.values(asked).every((v) => isObject(v) && Object.values(v).every((a) => typeof a === 'string'))) {
          return matrixError(400, 'M_BAD_JSON', 'one_time_keys must map user ids to {device id: algorithm}');
        }
        return json(200, { one_time_keys: state.keys.claim(asked as Record<string, Record<string, string>>), failures: {} });
      },
    },
    {
      method: 'PUT',
      path: `${PREFIX}/sendToDevice/:eventType/:txnId`,
      handler: async (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const { response } = await txns.fetchOrExecute(txnKey(user.userId, user.deviceId, rawPath(event)), async () => {
          const body = await readJsonObject(event);
          if (body instanceof Response) return body;
          const messages = body.value.messages;
          if (!isObject(messages) || !Object.values(messages).every(isObject)) return matrixError(400, 'M_BAD_JSON', 'messages must map user ids to {device id: content}');
          state.keys.sendToDevice(user.userId, params.eventType ?? '', messages as Record<string, Record<string, Json>>);
          return json(200, {});
        });
        return response;
      },
    },
  ];
}
