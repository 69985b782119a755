//! Polynomial approximations built only from exact lane arithmetic, so the SIMD engine and
//! the scalar reference compute identical bits.

use crate::lanes::Lanes;

/// 2^x, accurate to about 1e-7 relative for x in −60…+30 (inputs are clamped to that range).
#[inline(always)]
pub fn exp2<L: Lanes>(x: L) -> L {
    let x = x.max(L::splat(-60.0)).min(L::splat(30.0));
    let whole = (x + L::splat(0.5)).floor();
    let f = x - whole; // −0.5 … 0.5
    let p = L::splat(1.540_353e-4);
    let p = p * f + L::splat(1.333_355_8e-3);
    let p = p * f + L::splat(9.618_129e-3);
    let p = p * f + L::splat(5.550_411e-2);
    let p = p * f + L::splat(0.240_226_5);
    let p = p * f + L::splat(std::f32::consts::LN_2);
    let p = p * f + L::splat(1.0);
    p * whole.exp2_int()
}

/// sin(θ) for θ in −π/2…π/2 (odd Taylor series to θ¹¹).
#[inline(always)]
fn sin_half_pi<L: Lanes>(theta: L) -> L {
    let t2 = theta * theta;
    let p = L::splat(-2.505_210_8e-8);
    let p = p * t2 + L::splat(2.755_731_9e-6);
    let p = p * t2 + L::splat(-1.984_127e-4);
    let p = p * t2 + L::splat(8.333_333e-3);
    let p = p * t2 + L::splat(-0.166_666_67);
    let p = p * t2 + L::splat(1.0);
    p * theta
}

/// sin(2π·x) for any x (one cycle per unit).
#[inline(always)]
pub fn sin_cycles<L: Lanes>(x: L) -> L {
    let t = x - (x + L::splat(0.5)).floor(); // −0.5 … 0.5
    // Fold the outer quarters back: sin(π − θ) = sin θ.
    let upper = L::splat(0.25).lt(t);
    let lower = t.lt(L::splat(-0.25));
    let t = upper.select(L::splat(0.5) - t, lower.select(L::splat(-0.5) - t, t));
    sin_half_pi(t * L::splat(std::f32::consts::TAU))
}

/// tan(θ) for θ in 0…1.45 (the SVF's prewarped gain).
#[inline(always)]
pub fn tan<L: Lanes>(theta: L) -> L {
    let t2 = theta * theta;
    let c = L::splat(2.087_675_7e-9);
    let c = c * t2 + L::splat(-2.755_732e-7);
    let c = c * t2 + L::splat(2.480_158_7e-5);
    let c = c * t2 + L::splat(-1.388_888_9e-3);
    let c = c * t2 + L::splat(4.166_666_8e-2);
    let c = c * t2 + L::splat(-0.5);
    let c = c * t2 + L::splat(1.0);
    sin_half_pi(theta) / c
}

/// A smooth, odd saturator: slope 1 at 0, a cubic knee, exactly ±1 beyond |x| = 1.5.
/// Division-free so it costs the same per lane in SIMD as in scalar code.
#[inline(always)]
pub fn saturate<L: Lanes>(x: L) -> L {
    let t = (x * L::splat(2.0 / 3.0))
        .max(L::splat(-1.0))
        .min(L::splat(1.0));
    t * (L::splat(1.5) - L::splat(0.5) * t * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp2_matches_std_within_a_millionth() {
        for i in -4000..3000 {
            let x = i as f32 * 0.01;
            let rel = (exp2(x) / x.exp2() - 1.0).abs();
            assert!(rel < 1e-6, "exp2({x}) off by {rel}");
        }
    }

    #[test]
    fn sine_matches_std() {
        for i in -2000..2000 {
            let x = i as f32 * 0.001_37;
            let err = (sin_cycles(x) - (x as f64 * std::f64::consts::TAU).sin() as f32).abs();
            assert!(err < 2e-6, "sin({x}) off by {err}");
        }
    }

    #[test]
    fn tan_matches_std_over_the_filter_range() {
        for i in 0..1450 {
            let x = i as f32 * 0.001;
            let rel = (tan(x) / x.tan() - 1.0).abs();
            assert!(x == 0.0 || rel < 1e-5, "tan({x}) off by {rel}");
        }
    }

    #[test]
    fn saturator_is_odd_bounded_and_unity_slope_at_zero() {
        assert_eq!(saturate(0.0f32), 0.0);
        assert!((saturate(1e-3f32) - 1e-3).abs() < 1e-9);
        for i in -100..100 {
            let x = i as f32 * 0.1;
            assert!(saturate(x).abs() <= 1.0);
            assert_eq!(saturate(-x), -saturate(x));
        }
        assert_eq!(saturate(5.0f32), 1.0);
        assert_eq!(saturate(1.5f32), 1.0);
    }
}
