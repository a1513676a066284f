export { type Household, type HouseholdOptions, householdsOf } from './households.js';
export {
  type BundleAddress,
  type BundleRequestBody,
  type MoveChoice,
  moveBundleBody,
  randomNewAddress,
} from './moves.js';
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
export { seededRandom } from './random.js';
export {
  type DirectoryStreet,
  LEIPZIG,
  LEIPZIG_MUNICIPALITY_KEY,
  LEIPZIG_STREETS,
  OTHER_MUNICIPALITIES,
} from './streets.js';
