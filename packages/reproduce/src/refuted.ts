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

const KITE_WHY =
  'For one output with y strictly between the input voltages, the maximum principle forces an edge next to an input to carry both a free and a clamped drop, so c_EP = |M|^2 > 0 (THEORY.md, Coercivity); the kite topology is reconstructed (Figure 2 lost).';

const SISO_WHY =
  'Theorem 4.1 calls 0 < t < V "clearly feasible", but an output joined to the source alone always sits at V: the flow is identically zero, the loss stays put and no conductance moves. The theorem needs the output to see both input voltages.';

export const KNOWN_REFUTED_CLAIMS: readonly RefutedClaim[] = [
  { experiment: 'kite-landscape', claim: 'c vanishes at the degenerate point (s, r) = (0, 0) (relative to the median of c on the slice)', why: KITE_WHY },
  { experiment: 'kite-landscape', claim: 'The minimum of c on the slice sits at the origin: distance of argmin from (0,0)', why: 'c is smooth and positive near the origin; its minimum lies on the edge of the slice.' },
  { experiment: 'kite-ep-decay', claim: 'The decay rate increases with s (tracking c)', why: 'The rate does track 2c (those claims pass), but c does not vanish at s = 0, so nothing makes it grow with s; on the reconstructed kite it decreases slightly.' },
  { experiment: 'kite-al-vs-ep', claim: 'EP update vanishes at the degenerate point with t != t* (spurious fixed point): |v_EP| / |k|', why: KITE_WHY },
  { experiment: 'kite-al-vs-ep', claim: 'AL acts only on k5, k6: share of |v_AL| on the middle branch', why: 'Holding the output at t != x_a makes the reference state push current through the outer edges as well, so AL changes them too.' },
  { experiment: 'kite-al-vs-ep', claim: 'EP stays stuck at nonzero loss: L(T) / L(0)', why: 'The EP update does not vanish there (above), so EP moves and the loss falls.' },
  { experiment: 'siso-convergence', claim: 'output hanging from the source alone (all stated assumptions hold), EP: converges or a conductance tends to 0 (measured L(T)/L(0))', why: SISO_WHY },
  { experiment: 'siso-convergence', claim: 'output hanging from the source alone (all stated assumptions hold), CL: converges or a conductance tends to 0 (measured L(T)/L(0))', why: SISO_WHY },
];
