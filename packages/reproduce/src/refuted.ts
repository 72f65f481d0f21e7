/**
 * Claims of the papers that Ohmlab's numbers refute in the quick reproduction (documented in the
 * README). The test suite asserts that the failing claims are EXACTLY these, so a change in either
 * direction (a refuted claim starts passing, or a new claim fails) is noticed.
 */
export interface RefutedClaim {
  readonly experiment: string;
  readonly claim: string;
  readonly why: string;
}

const MAXIMUM_PRINCIPLE =
  'With one output whose free voltage lies strictly between the two input voltages, the maximum principle makes some edge next to an input carry both free and unit-response current, so c_EP = |M|^2 > 0 (THEORY.md, Coercivity; the hand derivation gives c = 1/16 at the all-ones kite). This holds for every kite reading with one output and two input voltages, whatever the lost base point.';

export const KNOWN_REFUTED_CLAIMS: readonly RefutedClaim[] = [
  {
    experiment: 'kite-landscape',
    claim: 'c vanishes at the degenerate point (s, r) = (0, 0): c(0, 0) / median of c on the slice',
    why: MAXIMUM_PRINCIPLE,
  },
  {
    experiment: 'kite-landscape',
    claim: 'The degenerate point is the least coercive point of the slice (c as plotted in the paper\'s Fig. 3): distance of the minimum of c from (0, 0)',
    why: 'c scales as 1/k^2 and moving along s changes the conductance scale, so c is monotone in s through the origin and its minimum lies on the edge of the slice (s = 0.5). The scale-free constant c max(k)^2 / spread(u)^2 is smallest at the origin (that claim passes), but equals 1/16 there, not 0.',
  },
  {
    experiment: 'kite-ep-decay',
    claim: 'The decay rate increases with the distance |s| from the non-coercive set, on both sides of it: min over the two sides of rate(largest |s|) / rate(smallest |s|)',
    why: 'The rates do equal 2c (those claims pass), but c does not vanish at s = 0 and is monotone in s, so the rate grows on one side of s = 0 and falls on the other (0.153, 0.132 at s = -0.3, -0.1; 0.119, 0.109 at s = 0.1, 0.3).',
  },
  {
    experiment: 'kite-al-vs-ep',
    claim: 'EP update vanishes at the degenerate point with t != t* (spurious fixed point): |v_EP| / |k|',
    why: MAXIMUM_PRINCIPLE,
  },
  {
    experiment: 'kite-al-vs-ep',
    claim: 'EP stays stuck at nonzero loss: L(T) / L(0)',
    why: 'The EP update does not vanish there (previous claim), so EP moves k1 = k3 down and k2 = k4 up until y = k1/(k1 + k2) reaches the target.',
  },
  {
    experiment: 'kite-al-vs-ep',
    claim: 'AL acts only on k5, k6 (the outer conductances stay fixed): share of |v_AL| on k5, k6',
    why: 'Holding the output at t != x_a makes the AL reference state drive current through the outer edges, and the AL clamped state (outputs held at mu) has drops there too, so AL changes the outer conductances: k5, k6 carry only 0.094 of |v_AL| (norm share), the outer edges the rest.',
  },
  {
    experiment: 'kite-al-vs-ep',
    claim: 'Along AL the output never changes from t*: max |y - t*| along the flow',
    why: 'AL keeps the swap symmetry and the ratio condition (those claims pass), so y = k1/(k1 + k2), and AL moves k1, k2: y goes from t* = 0.5 to the target 0.45.',
  },
  {
    experiment: 'kite-al-vs-ep',
    claim: 'AL drives k5 = k6 to 0 (a boundary minimum of L_AL): k5(T) / k5(0)',
    why: 'AL solves the problem through the outer edges (L_AL -> 0 exponentially); k5 = k6 only drift from 1 to 0.993.',
  },
];
