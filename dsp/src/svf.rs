//! The voices' filter: a TPT state-variable filter (Zavalishin's trapezoidal integrators,
//! as Andrew Simper gives them) in state-space form, its coefficients and the responses
//! its modes pick. Allocation-free, O(1) per sample.

use crate::lanes::Lanes;
use crate::patch::FilterMode;

/// The filter's outputs come out this many times their value (see [`svf_step`] and
/// `kernel::filter`); the voice gains a control tick works out are divided by it, exactly (a
/// power of two), so the voices sound at their level.
pub const FILTER_OUTPUT_SCALE: f32 = 4.0;

/// One sample of a TPT state-variable filter (Zavalishin's trapezoidal integrators, as
/// Andrew Simper gives them), in state-space form. With g the prewarped gain and
/// d = 1 / (1 + g(g + k)), the coefficients (p, q, r) = (2d − 1, 2gd, 1 − 2g²d) step the
/// integrator states `s1`, `s2` as
///
/// s1' = p·s1 − q·(s2 − x),   s2' = q·s1 + x + r·(s2 − x),
///
/// and the outputs are band = (s1 + s1')/2, low = (s2 + s2')/2; this returns twice them,
/// (s1 + s1', s2 + s2'). Simper's form (band = d·s1 + gd·(x − s2), low = s2 + g·band,
/// s' = 2·output − s) is the same filter, but a state reached its next value through
/// three fused steps there and two here, in four fused steps per stage instead of six:
/// the voices' filters are a chain no width of SIMD shortens.
#[inline(always)]
pub fn svf_step<L: Lanes>(x: L, s1: &mut L, s2: &mut L, [p, q, r]: [L; 3]) -> (L, L) {
    let u = *s2 - x;
    let next1 = q.neg_mul_add(u, p * *s1);
    let next2 = r.mul_add(u, q.mul_add(*s1, x));
    let outputs = (*s1 + next1, *s2 + next2);
    (*s1, *s2) = (next1, next2);
    outputs
}

/// The response `mode` picks from the resonant stage fed with `x2` = 2·x, given its
/// outputs (4·band, 4·low): four times high = x − k·band − low or notch = x − k·band, band
/// or low. (LP24 is two stages, see `kernel::filter`; here it is taken as LP12.)
#[inline(always)]
pub fn svf_output<L: Lanes>(mode: FilterMode, x2: L, (band4, low4): (L, L), k: L) -> L {
    match mode {
        FilterMode::Lp12 | FilterMode::Lp24 => low4,
        FilterMode::Bp => band4,
        FilterMode::Hp => k.neg_mul_add(band4, (x2 + x2) - low4),
        FilterMode::Notch => k.neg_mul_add(band4, x2 + x2),
    }
}

/// The TPT state-variable coefficients (p, q, r) = (2d − 1, 2gd, 1 − 2g²d),
/// d = 1 / (1 + g(g + k)), of both filter stages for the prewarped gain g = s / c given as
/// its sine and cosine (see [`svf_step`], `math::sin_cos`): the resonant stage's damping
/// `k` and the Butterworth stage's √2. With a = c² + s(s + kc), d = c²/a, 2gd = 2sc/a and
/// 2g²d = 2s²/a, so one division serves both stages and the gain itself: the division of
/// the tangent and the one of the coefficients were two steps of the control tick's
/// longest chain.
#[inline(always)]
pub fn svf_coefs<L: Lanes>(s: L, c: L, k: L) -> ([L; 3], [L; 3]) {
    let one = L::splat(1.0);
    let c2 = c * c;
    let (a, b) = (
        s.mul_add(k.mul_add(c, s), c2),
        s.mul_add(L::splat(std::f32::consts::SQRT_2).mul_add(c, s), c2),
    );
    let r = one / (a * b);
    let (cc, sc, ss) = (c2 + c2, (s + s) * c, (s + s) * s);
    let coefs = |inv: L| [cc.mul_sub(inv, one), sc * inv, ss.neg_mul_add(inv, one)];
    (coefs(b * r), coefs(a * r))
}

#[cfg(test)]
#[path = "svf_tests.rs"]
mod tests;
