import type { GeoPosition, Location } from './catalogue.js';

/**
 * Where the city's districts (Ortsteile) lie, to find the locations nearest
 * to a new address. Approximate centres, illustrative like the seed data;
 * distances are straight lines, which is good enough to rank a handful of
 * offices. An address whose district is unknown counts as the city centre.
 */
export const DISTRICT_CENTRES: Readonly<Record<string, GeoPosition>> = {
  Zentrum: { lat: 51.3397, lon: 12.3731 },
  'Zentrum-Nord': { lat: 51.348, lon: 12.372 },
  'Zentrum-Nordwest': { lat: 51.351, lon: 12.36 },
  'Zentrum-Ost': { lat: 51.344, lon: 12.388 },
  'Zentrum-Süd': { lat: 51.332, lon: 12.376 },
  'Zentrum-Südost': { lat: 51.331, lon: 12.39 },
  'Zentrum-West': { lat: 51.342, lon: 12.36 },
  'Gohlis-Süd': { lat: 51.357, lon: 12.369 },
  'Gohlis-Mitte': { lat: 51.363, lon: 12.363 },
  'Gohlis-Nord': { lat: 51.372, lon: 12.362 },
  Möckern: { lat: 51.365, lon: 12.345 },
  Wahren: { lat: 51.375, lon: 12.335 },
  Eutritzsch: { lat: 51.365, lon: 12.385 },
  'Mockau-Süd': { lat: 51.372, lon: 12.401 },
  'Schönefeld-Abtnaundorf': { lat: 51.363, lon: 12.415 },
  Südvorstadt: { lat: 51.323, lon: 12.374 },
  Connewitz: { lat: 51.309, lon: 12.38 },
  Marienbrunn: { lat: 51.312, lon: 12.397 },
  Lößnig: { lat: 51.3, lon: 12.395 },
  Probstheida: { lat: 51.306, lon: 12.419 },
  Plagwitz: { lat: 51.329, lon: 12.338 },
  Schleußig: { lat: 51.324, lon: 12.349 },
  Kleinzschocher: { lat: 51.317, lon: 12.327 },
  Lindenau: { lat: 51.338, lon: 12.33 },
  Leutzsch: { lat: 51.345, lon: 12.31 },
  'Reudnitz-Thonberg': { lat: 51.333, lon: 12.403 },
  'Anger-Crottendorf': { lat: 51.337, lon: 12.42 },
  'Neustadt-Neuschönefeld': { lat: 51.347, lon: 12.405 },
  Volkmarsdorf: { lat: 51.349, lon: 12.415 },
  Paunsdorf: { lat: 51.345, lon: 12.45 },
  Stötteritz: { lat: 51.32, lon: 12.425 },
  Holzhausen: { lat: 51.315, lon: 12.46 },
  'Grünau-Mitte': { lat: 51.319, lon: 12.29 },
  'Grünau-Ost': { lat: 51.327, lon: 12.305 },
  'Grünau-Nord': { lat: 51.33, lon: 12.285 },
};

const CITY_CENTRE = DISTRICT_CENTRES.Zentrum as GeoPosition;

export function districtCentre(district: string): GeoPosition {
  return DISTRICT_CENTRES[district] ?? CITY_CENTRE;
}

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: GeoPosition, b: GeoPosition): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Locations ordered by distance from a district's centre (nearest first; ties by id, so the order is stable). */
export function byDistanceFrom(district: string, locations: readonly Location[]): Location[] {
  const centre = districtCentre(district);
  return [...locations]
    .map((location) => ({ location, km: distanceKm(centre, location.position) }))
    .sort((a, b) => a.km - b.km || a.location.id.localeCompare(b.location.id))
    .map((entry) => entry.location);
}
