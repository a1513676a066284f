import { leipzigCatalogue } from '../seed-data.js';
import { byDistanceFrom, distanceKm } from './geography.js';

describe('nearest locations', () => {
  const locations = leipzigCatalogue().locations.filter((l) => l.kind !== 'specialist-office');

  it('ranks by distance from the district centre', () => {
    expect(
      byDistanceFrom('Plagwitz', locations)
        .slice(0, 2)
        .map((l) => l.id),
    ).toEqual(['koffer-plagwitz', 'bb-leutzsch']);
    expect(byDistanceFrom('Grünau-Mitte', locations)[0]?.id).toBe('bb-gruenau');
    expect(byDistanceFrom('Marienbrunn', locations)[0]?.id).toBe('koffer-marienbrunn');
  });

  it('takes the city centre for an unknown district', () => {
    expect(byDistanceFrom('Atlantis', locations)[0]?.id).toBe('bb-zentrum');
  });

  it('measures kilometres', () => {
    expect(distanceKm({ lat: 51.3397, lon: 12.3731 }, { lat: 51.3397, lon: 12.3731 })).toBe(0);
    const km = distanceKm({ lat: 51.3397, lon: 12.3731 }, { lat: 51.319, lon: 12.29 });
    expect(km).toBeGreaterThan(5);
    expect(km).toBeLessThan(7);
  });
});
