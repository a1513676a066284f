export {
  DEMO_CITIZENS,
  DEMO_VEHICLES,
  type DemoAddress,
  type DemoPerson,
  type DemoPopulation,
  type DemoVehicle,
  demoPlate,
  demoPopulation,
  demoVin,
  personId,
} from './population.js';
export {
  type DirectoryStreet,
  LEIPZIG,
  LEIPZIG_MUNICIPALITY_KEY,
  LEIPZIG_STREETS,
  OTHER_MUNICIPALITIES,
} from './streets.js';
