import { getBundle } from '../../app/get-bundle.js';
import { listBundles } from '../../app/list-bundles.js';
import { listMyVehicles } from '../../app/list-my-vehicles.js';
import { revokeBundle } from '../../app/revoke-bundle.js';
import { submitBundle } from '../../app/submit-bundle.js';
import type { BundleInput } from '../../shared/bundle-rules.js';
import { citizenOf } from '../auth.js';
import { bundleJson, vehicleJson } from '../representations.js';
import { validated } from '../routing.js';
import type { Handlers, HandlerDeps } from './deps.js';

/** Handlers of the bundle operations: map HTTP <-> use case, nothing else. */
export function bundleHandlers(deps: HandlerDeps): Handlers {
  return {
    async getMe(req) {
      const citizen = citizenOf(req);
      return { status: 200, body: citizen };
    },

    async listMyVehicles(req, ctx) {
      const vehicles = await listMyVehicles(deps, { personId: citizenOf(req).personId }, { signal: ctx.signal });
      return { status: 200, body: { items: vehicles.map(vehicleJson) } };
    },

    async submitBundle(req, ctx) {
      const { body } = validated<Record<string, string>, Record<string, unknown>, BundleInput>(req);
      const bundle = await submitBundle(deps, {
        bundleId: ctx.resourceId,
        personId: citizenOf(req).personId,
        idempotencyKey: ctx.idempotencyKey,
        request: body,
      });
      return { status: 202, headers: { location: `/api/bundles/${bundle.bundleId}` }, body: bundleJson(bundle) };
    },

    async listBundles(req) {
      const bundles = await listBundles(deps, { personId: citizenOf(req).personId });
      return { status: 200, body: { items: bundles.map(bundleJson) } };
    },

    async getBundle(req) {
      const { params } = validated<{ bundleId: string }>(req);
      const bundle = await getBundle(deps, { bundleId: params.bundleId, personId: citizenOf(req).personId });
      return { status: 200, headers: { 'cache-control': 'no-store' }, body: bundleJson(bundle) };
    },

    async createStreamTicket(req) {
      const { params } = validated<{ bundleId: string }>(req);
      const personId = citizenOf(req).personId;
      await getBundle(deps, { bundleId: params.bundleId, personId });
      const { ticket, expiresAt } = await deps.tickets.issue(personId, params.bundleId);
      return {
        status: 201,
        body: {
          ticket,
          expiresAt: expiresAt.toISOString(),
          eventsUrl: `/api/bundles/${params.bundleId}/events?ticket=${encodeURIComponent(ticket)}`,
        },
      };
    },

    async revokeBundle(req) {
      const { params, body } = validated<
        { bundleId: string },
        Record<string, unknown>,
        { reason?: string } | undefined
      >(req);
      const bundle = await revokeBundle(deps, {
        bundleId: params.bundleId,
        personId: citizenOf(req).personId,
        reason: body?.reason ?? '',
      });
      return { status: 202, body: bundleJson(bundle) };
    },
  };
}
