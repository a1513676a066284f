import { randomUUID } from 'node:crypto';
import { vehicle } from '@buergerservice/contracts';
import type { CallContext, UnaryHandlers } from '@buergerservice/service-kit';
import { deregisterVehicle } from '../app/deregister-vehicle.js';
import { getVehicle } from '../app/get-vehicle.js';
import { listVehiclesByHolder } from '../app/list-vehicles-by-holder.js';
import type { VehicleAppDeps } from '../app/ports.js';
import { registerVehicle } from '../app/register-vehicle.js';
import { vehicleToContract } from './mapping.js';
import {
  validateDeregisterVehicle,
  validateGetVehicle,
  validateListVehiclesByHolder,
  validateRegisterVehicle,
} from './validation.js';

export interface GrpcHandlerDeps {
  readonly app: VehicleAppDeps;
  /** The district code of vehicles registered without one. */
  readonly defaultDistrict: string;
  /** Wakes the outbox relay after a command wrote events. */
  readonly outboxWritten: () => void;
}

/** Metadata the portal gateway and city systems send to tie a command into a citizen's bundle. */
const CORRELATION_HEADER = 'x-correlation-id';
const REQUEST_ID_HEADER = 'x-request-id';

function header(ctx: CallContext, name: string): string | undefined {
  const value = ctx.metadata.get(name)[0];
  const text = typeof value === 'string' ? value : value?.toString('utf8');
  return text && text.length <= 128 ? text : undefined;
}

/** Contract <-> use case, nothing else. */
export function vehicleHandlers(deps: GrpcHandlerDeps): UnaryHandlers<typeof vehicle.VehicleServiceService> {
  const { app } = deps;
  return {
    async registerVehicle(request, ctx) {
      const command = validateRegisterVehicle(request, deps.defaultDistrict);
      const state = await registerVehicle(app, {
        ...command,
        correlationId: header(ctx, CORRELATION_HEADER) ?? randomUUID(),
      });
      deps.outboxWritten();
      return ctx.restrictFields(vehicle.RegisterVehicleResponse, { vehicle: vehicleToContract(state) });
    },

    async getVehicle(request, ctx) {
      const state = await getVehicle(app, validateGetVehicle(request));
      return ctx.restrictFields(vehicle.GetVehicleResponse, { vehicle: vehicleToContract(state) });
    },

    async listVehiclesByHolder(request, ctx) {
      const states = await listVehiclesByHolder(app, validateListVehiclesByHolder(request));
      return ctx.restrictFields(vehicle.ListVehiclesByHolderResponse, { vehicles: states.map(vehicleToContract) });
    },

    async deregisterVehicle(request, ctx) {
      const command = validateDeregisterVehicle(request);
      const state = await deregisterVehicle(app, {
        ...command,
        correlationId: header(ctx, CORRELATION_HEADER) ?? randomUUID(),
        requestId: header(ctx, REQUEST_ID_HEADER) ?? randomUUID(),
      });
      deps.outboxWritten();
      return ctx.restrictFields(vehicle.DeregisterVehicleResponse, { vehicle: vehicleToContract(state) });
    },
  };
}
