//! Band-limiting residuals for oscillator discontinuities.
//!
//! Steps use a BLEP built from the 5th-order (quartic) cardinal B-spline, spanning five
//! samples: its sinc⁵ response pushes the images of near-Nyquist harmonics 40 dB down where a
//! 2-point PolyBLEP manages about 30. Slope corners (the triangle) use the 2-point PolyBLAMP.

use crate::lanes::Lanes;

/// Half-width of the BLEP in samples.
pub const BLEP_RADIUS: f32 = 2.5;

/// ∫ from v to ∞ of the quartic B-spline, for a distance v ≥ 0 in samples (0 beyond 2.5).
///
/// Written with truncated powers, F(v) = [(2.5−v)₊⁵ − 5(1.5−v)₊⁵ + 10(0.5−v)₊⁵] / 120, so one
/// branch-free expression covers all three polynomial pieces (no per-lane selects).
#[inline(always)]
fn tail<L: Lanes>(v: L) -> L {
    let zero = L::splat(0.0);
    let fifth = |x: L| {
        let x2 = x * x;
        x2 * x2 * x
    };
    let a = fifth((L::splat(2.5) - v).max(zero));
    let b = fifth((L::splat(1.5) - v).max(zero));
    let c = fifth((L::splat(0.5) - v).max(zero));
    (a - L::splat(5.0) * b + L::splat(10.0) * c) * L::splat(1.0 / 120.0)
}

/// Residual of a unit step at signed distance `u` samples (negative = before the step):
/// add `height × residual` to the naive waveform.
#[inline(always)]
pub fn step_residual<L: Lanes>(u: L) -> L {
    let t = tail(u.abs());
    u.lt(L::splat(0.0)).select(t, -t)
}

/// Signed distance in samples from phase `p` (0…1) to a discontinuity at phase `at`,
/// taking the nearer of the two sides.
#[inline(always)]
pub fn distance<L: Lanes>(p: L, at: L, inv_dt: L) -> L {
    let q = p - at;
    let q = q - (q + L::splat(0.5)).floor();
    q * inv_dt
}

/// Residual of a unit slope change (per sample) at signed distance `t` samples: 2-point
/// PolyBLAMP, (1 − |t|)³ / 6 inside one sample of the corner.
#[inline(always)]
pub fn corner_residual<L: Lanes>(t: L) -> L {
    let r = (L::splat(1.0) - t.abs()).max(L::splat(0.0));
    r * r * r * L::splat(1.0 / 6.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residual_is_half_a_step_at_the_edge_and_vanishes_outside() {
        assert!((step_residual(-1e-6f32) - 0.5).abs() < 1e-5);
        assert!((step_residual(0.0f32) + 0.5).abs() < 1e-5);
        assert_eq!(step_residual(2.5f32), 0.0);
        assert!(step_residual(-2.5f32).abs() < 1e-7);
        assert!(step_residual(3.0f32).abs() < 1e-7);
    }

    #[test]
    fn band_limited_step_is_monotonic() {
        // naive step + residual should rise smoothly from 0 to 1.
        let mut last = -1.0f32;
        for i in -300..300 {
            let u = i as f32 / 100.0;
            let naive = if u < 0.0 { 0.0 } else { 1.0 };
            let smooth = naive + step_residual(u);
            assert!(smooth >= last - 1e-6, "not monotonic at {u}");
            last = smooth;
        }
    }

    #[test]
    fn distance_picks_the_nearer_side() {
        assert!((distance(0.01f32, 0.0, 100.0) - 1.0).abs() < 1e-4);
        assert!((distance(0.99f32, 0.0, 100.0) + 1.0).abs() < 1e-4);
        assert!((distance(0.48f32, 0.5, 100.0) + 2.0).abs() < 1e-3);
    }
}
