import type {
  AppointmentAuthority,
  BundleListener,
  BundleRepository,
  Clock,
  DocumentAuthority,
  RegistrationAuthority,
  VehicleAuthority,
} from '../../app/ports.js';
import type { RouteHandler } from '../routing.js';
import type { StreamTickets } from '../stream-tickets.js';

/** Everything the HTTP handlers reach: the use cases' dependencies. */
export interface HandlerDeps {
  readonly bundles: BundleRepository;
  readonly registration: RegistrationAuthority;
  readonly vehicles: VehicleAuthority;
  readonly appointments: AppointmentAuthority;
  readonly documents: DocumentAuthority;
  readonly clock: Clock;
  readonly listener: BundleListener;
  readonly tickets: StreamTickets;
  readonly devIssuerEnabled: boolean;
  readonly issuer: string;
}

export type Handlers = Readonly<Record<string, RouteHandler>>;
