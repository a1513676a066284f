import { appointment, document, registration, vehicle } from '@buergerservice/contracts';
import { type ClientSecurity, createClient } from '@buergerservice/service-kit';
import type { Client } from '@grpc/grpc-js';

export interface AuthorityClientsConfig {
  readonly REGISTRATION_GRPC_ADDRESS: string;
  readonly VEHICLE_GRPC_ADDRESS: string;
  readonly APPOINTMENT_GRPC_ADDRESS: string;
  readonly DOCUMENT_GRPC_ADDRESS: string;
  readonly GRPC_INSECURE: boolean;
  readonly GRPC_TLS_CA?: string | undefined;
  readonly GRPC_TLS_CERT?: string | undefined;
  readonly GRPC_TLS_KEY?: string | undefined;
  readonly GRPC_DEADLINE_MS: number;
}

export interface AuthorityClients {
  readonly registration: registration.RegistrationServiceClient;
  readonly vehicle: vehicle.VehicleServiceClient;
  readonly appointment: appointment.AppointmentServiceClient;
  readonly document: document.DocumentServiceClient;
  close(): void;
}

/** The gateway's identity towards the authorities (the CN of its certificate under mTLS). */
export const CLIENT_ID = 'portal-gateway';

/** gRPC clients of the four authorities, with mTLS (or plaintext in development) and a deadline on every call. */
export function createAuthorityClients(config: AuthorityClientsConfig): AuthorityClients {
  const security: ClientSecurity = config.GRPC_INSECURE
    ? { insecure: true, clientId: CLIENT_ID }
    : {
        tls: {
          caFile: config.GRPC_TLS_CA ?? '',
          certFile: config.GRPC_TLS_CERT ?? '',
          keyFile: config.GRPC_TLS_KEY ?? '',
        },
      };
  const options = { security, defaultDeadlineMs: config.GRPC_DEADLINE_MS };
  const clients = {
    registration: createClient(registration.RegistrationServiceClient, config.REGISTRATION_GRPC_ADDRESS, options),
    vehicle: createClient(vehicle.VehicleServiceClient, config.VEHICLE_GRPC_ADDRESS, options),
    appointment: createClient(appointment.AppointmentServiceClient, config.APPOINTMENT_GRPC_ADDRESS, options),
    document: createClient(document.DocumentServiceClient, config.DOCUMENT_GRPC_ADDRESS, options),
  };
  return {
    ...clients,
    close() {
      for (const client of Object.values(clients) as Client[]) client.close();
    },
  };
}
