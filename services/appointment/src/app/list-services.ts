import type { Service } from '../domain/catalogue.js';
import type { AppDeps } from './ports.js';

export async function listServices(deps: AppDeps): Promise<Service[]> {
  return (await deps.catalogue.current()).catalogue.services;
}
