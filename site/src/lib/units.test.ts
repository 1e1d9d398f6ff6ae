import { describe, expect, it } from 'vitest';
import { altitude, distance, length, mass, power, speed, thrust } from './units.ts';

describe('unit formatting', () => {
  it('gives metric and imperial for each kind of figure', () => {
    expect(length(70.66)).toEqual({ metric: '70.66 m', imperial: '231.8 ft' });
    expect(altitude(18_300)).toEqual({ metric: '18,300 m', imperial: '60,039 ft' });
    expect(mass(1_000)).toEqual({ metric: '1,000 kg', imperial: '2,205 lb' });
    expect(speed(1_852)).toEqual({ metric: '1,852 km/h', imperial: '1,000 kn' });
    expect(distance(926)).toEqual({ metric: '926 km', imperial: '500 nmi' });
    expect(thrust(100)).toEqual({ metric: '100 kN', imperial: '22,481 lbf' });
    expect(power(1_000)).toEqual({ metric: '1,000 kW', imperial: '1,341 hp' });
  });
});
