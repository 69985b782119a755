//! Band-limiting corrections for oscillator discontinuities, added once per edge into a
//! buffer of coming samples (see `oscillator`).
//!
//! Steps use a BLEP built from the 5th-order (quartic) cardinal B-spline, five samples wide (so
//! an edge between two samples touches six): its sinc⁵ response pushes the images of near-Nyquist harmonics 40 dB down where a
//! 2-point PolyBLEP manages about 30. Slope corners (the triangle) use the 2-point PolyBLAMP.
//!
//! An edge lies between samples s and s + 1, `f` samples before s + 1 (0 ≤ f ≤ 1). The naive
//! waveform holds the jump from sample s + 1 on; each tap is the band-limited step minus that
//! naive step at one sample, written in truncated powers so no tap needs a per-lane select.

use crate::lanes::Lanes;
use std::ops::{Add, Mul, Neg, Sub};

/// The arithmetic of the tap polynomials: lane values of any width (a `Lanes` type, or the
/// half of an `f32x8` that SSE2 works on).
pub trait TapArith:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Neg<Output = Self>
{
    /// Every lane set to `value`.
    fn splat(value: f32) -> Self;
    /// Lane-wise maximum with the semantics of x86 `maxps`.
    fn max(self, other: Self) -> Self;
    /// `self · m + a`, fused exactly where `Lanes::mul_add` is.
    fn mul_add(self, m: Self, a: Self) -> Self;
}

impl<L: Lanes> TapArith for L {
    #[inline(always)]
    fn splat(value: f32) -> Self {
        L::splat(value)
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        Lanes::max(self, other)
    }
    #[inline(always)]
    fn mul_add(self, m: Self, a: Self) -> Self {
        Lanes::mul_add(self, m, a)
    }
}

impl TapArith for wide::f32x4 {
    #[inline(always)]
    fn splat(value: f32) -> Self {
        wide::f32x4::splat(value)
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        self.fast_max(other)
    }
    #[inline(always)]
    fn mul_add(self, m: Self, a: Self) -> Self {
        wide::f32x4::mul_add(self, m, a)
    }
}

#[inline(always)]
fn fifth<L: TapArith>(x: L) -> L {
    let x2 = x * x;
    x2 * x2 * x
}

/// Add `value` into slot `slot` of a buffer of samples.
#[inline(always)]
pub(crate) fn add<L: Lanes, const N: usize>(buf: &mut [L; N], slot: usize, value: L) {
    let s = &mut buf[slot];
    *s = *s + value;
}

/// The residuals of a step of `height` lying `f` samples before sample s + 1, at samples
/// s − 2 … s + 3. With the quartic B-spline's integral
/// S(u) = [(u+2.5)₊⁵ − 5(u+1.5)₊⁵ + 10(u+0.5)₊⁵ − …] / 120, the residual of a unit step at
/// distance u is S(u) before the edge and S(u) − 1 = −S(−u) after it, and u = f − 3 + i at
/// tap i. The 1/120 and the signs ride on the height, so a tap costs one multiplication.
#[inline(always)]
pub fn step_values<L: TapArith>(f: L, height: L) -> [L; 6] {
    let zero = L::splat(0.0);
    let half = L::splat(0.5);
    let a = fifth((f - half).max(zero));
    let b = fifth(f + half);
    let c = fifth(f + L::splat(1.5));
    let d = fifth((half - f).max(zero));
    let e = fifth(L::splat(1.5) - f);
    let g = fifth(L::splat(2.5) - f);
    let h = height * L::splat(1.0 / 120.0);
    let minus_h = -h;
    [
        a * h,
        a.mul_add(L::splat(-5.0), b) * h,
        a.mul_add(L::splat(10.0), b.mul_add(L::splat(-5.0), c)) * h,
        d.mul_add(L::splat(10.0), e.mul_add(L::splat(-5.0), g)) * minus_h,
        d.mul_add(L::splat(-5.0), e) * minus_h,
        d * minus_h,
    ]
}

/// Add the band-limiting residual of a step of `height` lying `f` samples before sample
/// s + 1 into the six slots s − 2 … s + 3 of a buffer of samples (`(f, height)` as one
/// pair; 2 ≤ s < N − 3). O(1).
#[inline(always)]
pub fn add_step<L: Lanes, const N: usize>(buf: &mut [L; N], s: usize, (f, height): (L, L)) {
    for (i, value) in step_values(f, height).into_iter().enumerate() {
        add(buf, s - 2 + i, value);
    }
}

/// Add the PolyBLAMP residual of a slope change of `height` per sample lying `f` samples
/// before sample s + 1: (1 − |u|)³ / 6 at the two samples within one sample of the corner
/// (u = f − 1 at s, u = f at s + 1), in a buffer of samples (s < N − 1). O(1).
#[inline(always)]
pub fn add_corner<L: Lanes, const N: usize>(buf: &mut [L; N], s: usize, (f, height): (L, L)) {
    let sixth = height * L::splat(1.0 / 6.0);
    let r = L::splat(1.0) - f;
    add(buf, s, sixth * (f * f * f));
    add(buf, s + 1, sixth * (r * r * r));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The band-limited unit step at signed distance `u` samples, straight from the
    /// B-spline's definition by numerical integration (the reference for the taps).
    fn smoothed_step(u: f64) -> f64 {
        fn bspline(x: f64) -> f64 {
            // Quartic cardinal B-spline via the truncated-power formula, support ±2.5.
            let p = |t: f64| if t > 0.0 { t.powi(4) } else { 0.0 };
            (p(x + 2.5) - 5.0 * p(x + 1.5) + 10.0 * p(x + 0.5) - 10.0 * p(x - 0.5)
                + 5.0 * p(x - 1.5)
                - p(x - 2.5))
                / 24.0
        }
        let steps = 20_000;
        let h = (u + 2.5).max(0.0) / steps as f64;
        let s: f64 = (0..steps)
            .map(|k| bspline(-2.5 + (k as f64 + 0.5) * h) * h)
            .sum();
        s
    }

    #[test]
    fn step_values_match_the_integrated_b_spline() {
        for k in 0..=20 {
            let f = k as f64 / 20.0;
            let taps = step_values(f as f32, 1.0);
            for (i, tap) in taps.iter().enumerate() {
                let u = f - 3.0 + i as f64;
                // Taps 3…5 are the samples after the edge, where the naive step already is.
                let naive = if i >= 3 { 1.0 } else { 0.0 };
                let want = smoothed_step(u) - naive;
                assert!(
                    (*tap as f64 - want).abs() < 1e-5,
                    "f {f}, tap {i}: {tap} against {want}"
                );
            }
        }
    }

    #[test]
    fn band_limited_step_rises_monotonically_from_zero_to_one() {
        // The naive unit step plus its taps, sampled around edges at many sub-sample
        // positions, is monotonic and settles at 0 before and 1 after.
        for k in 0..=16 {
            let f = k as f32 / 16.0;
            let mut ring = [0.0f32, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0];
            // Edge between samples 2 and 3: s = 2.
            add_step(&mut ring, 2, (f, 1.0));
            let mut last = -1e-6;
            for (i, v) in ring.iter().enumerate() {
                assert!(*v >= last - 1e-6, "f {f}: not monotonic at {i}: {ring:?}");
                last = *v;
            }
            // The taps reach 2.5 samples from the edge, where the B-spline's tail is < 3e-4.
            assert!(ring[0] < 3e-4 && ring[5] > 1.0 - 3e-4, "{ring:?}");
        }
    }

    #[test]
    fn blamp_taps_vanish_outside_one_sample() {
        let mut ring = [0.0f32; 8];
        add_corner(&mut ring, 3, (0.25, 6.0));
        assert_eq!(ring[3], 0.25f32.powi(3));
        assert_eq!(ring[4], 0.75f32.powi(3));
        assert_eq!(ring.iter().filter(|v| **v != 0.0).count(), 2);
    }
}
