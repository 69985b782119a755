//! Polynomial approximations built only from exact lane arithmetic, so the SIMD engine and
//! the scalar reference compute identical bits.

use crate::lanes::Lanes;

/// 2^x, accurate to about 1e-7 relative for x in −60…+30 (inputs are clamped to that range).
#[inline(always)]
pub fn exp2<L: Lanes>(x: L) -> L {
    exp2_within(x.max(L::splat(-60.0)).min(L::splat(30.0)))
}

/// 2^x for x that the caller has bounded to −126…127 (with bounds of its own, such as a
/// pitch's or a cutoff's: [`exp2`] clamped again, two more steps on the control tick's
/// longest chains), as accurate as [`exp2`].
#[inline(always)]
pub fn exp2_within<L: Lanes>(x: L) -> L {
    exp2_times::<L, 0>(x)
}

/// 2^x · 2^N for x that the caller has bounded so that x + N lies within −126…127: the
/// power of two joins the exponent, beside the polynomial's chain rather than after it,
/// and x keeps the precision of its own size.
#[inline(always)]
pub fn exp2_times<L: Lanes, const N: i32>(x: L) -> L {
    // Adding 1.5·2²³ rounds x to a whole number (ties to even) in the sum's last bits, and
    // taking it away again is exact: two additions where a floor took a rounding
    // instruction after one, on the control tick's longest chain.
    let round = L::splat(12_582_912.0);
    let whole = (x + round) - round;
    let f = x - whole; // −0.5 … 0.5
    let p = L::splat(1.540_353e-4);
    let p = p.mul_add(f, L::splat(1.333_355_8e-3));
    let p = p.mul_add(f, L::splat(9.618_129e-3));
    let p = p.mul_add(f, L::splat(5.550_411e-2));
    let p = p.mul_add(f, L::splat(0.240_226_5));
    let p = p.mul_add(f, L::splat(std::f32::consts::LN_2));
    let p = p.mul_add(f, L::splat(1.0));
    let exponent = if N == 0 {
        whole
    } else {
        whole + L::splat(N as f32)
    };
    p * exponent.exp2_int()
}

/// sin(θ) for θ in −π/2…π/2 (odd Taylor series to θ¹¹).
#[inline(always)]
fn sin_half_pi<L: Lanes>(theta: L) -> L {
    let t2 = theta * theta;
    let p = L::splat(-2.505_210_8e-8);
    let p = p.mul_add(t2, L::splat(2.755_731_9e-6));
    let p = p.mul_add(t2, L::splat(-1.984_127e-4));
    let p = p.mul_add(t2, L::splat(8.333_333e-3));
    let p = p.mul_add(t2, L::splat(-0.166_666_67));
    let p = p.mul_add(t2, L::splat(1.0));
    p * theta
}

/// sin(2π·p) for a phase p in 0…1 (the LFO's): the half cycle from ½ on is taken one
/// cycle back with a comparison, where a phase of any size would need a floor.
#[inline(always)]
pub fn sin_phase<L: Lanes>(p: L) -> L {
    let one = L::splat(1.0);
    sin_centered(p - L::splat(0.5).le(p).and(one))
}

/// sin(2π·t) for t in −0.5…0.5.
#[inline(always)]
pub fn sin_centered<L: Lanes>(t: L) -> L {
    // Fold the outer quarters back: sin(π − θ) = sin θ.
    let upper = L::splat(0.25).lt(t);
    let lower = t.lt(L::splat(-0.25));
    let t = upper.select(L::splat(0.5) - t, lower.select(L::splat(-0.5) - t, t));
    sin_half_pi(t * L::splat(std::f32::consts::TAU))
}

/// sin θ and cos θ for θ in 0…1.45, whose ratio is the SVF's prewarped gain tan θ:
/// `svf::svf_coefs` takes them apart, and one division serves its whole formula.
#[inline(always)]
pub fn sin_cos<L: Lanes>(theta: L) -> (L, L) {
    let t2 = theta * theta;
    let c = L::splat(2.087_675_7e-9);
    let c = c.mul_add(t2, L::splat(-2.755_732e-7));
    let c = c.mul_add(t2, L::splat(2.480_158_7e-5));
    let c = c.mul_add(t2, L::splat(-1.388_888_9e-3));
    let c = c.mul_add(t2, L::splat(4.166_666_8e-2));
    let c = c.mul_add(t2, L::splat(-0.5));
    let c = c.mul_add(t2, L::splat(1.0));
    (sin_half_pi(theta), c)
}

/// A smooth, odd saturator: slope 1 at 0, a cubic knee, exactly ±1 beyond |x| = 1.5.
/// Division-free so it costs the same per lane in SIMD as in scalar code.
#[inline(always)]
pub fn saturate<L: Lanes>(x: L) -> L {
    let curve = SaturatorGains::new(1.0, 1.0);
    saturate_scaled(x, curve.splat())
}

/// The gains folded into [`saturate`] for a drive stage saturate(x · gain_in) · gain_out:
/// the input scale of the clamped variable and the two coefficients of its cubic.
#[derive(Clone, Copy, Debug)]
pub struct SaturatorGains {
    /// gain_in · 2/3: the input scale that makes |t| = 1 at the saturator's corner.
    pub scale: f32,
    /// 1.5 · gain_out: the cubic's linear coefficient.
    pub linear: f32,
    /// −0.5 · gain_out: its cubic coefficient.
    pub cubic: f32,
}

impl SaturatorGains {
    /// The folded gains of saturate(x · `gain_in`) · `gain_out`.
    pub fn new(gain_in: f32, gain_out: f32) -> Self {
        Self {
            scale: gain_in * (2.0 / 3.0),
            linear: 1.5 * gain_out,
            cubic: -0.5 * gain_out,
        }
    }

    /// The three gains splatted, for [`saturate_scaled`]. (Each by name: `array::map`
    /// stayed a call at every run in an `x86-64-v3` build.)
    #[inline(always)]
    pub fn splat<L: Lanes>(self) -> [L; 3] {
        [
            L::splat(self.scale),
            L::splat(self.linear),
            L::splat(self.cubic),
        ]
    }
}

/// saturate(x · gain_in) · gain_out in five operations, with the gains folded by
/// [`SaturatorGains`] (splatted): t = clamp(x · scale, ±1), t · (linear + cubic · t²).
#[inline(always)]
pub fn saturate_scaled<L: Lanes>(x: L, [scale, linear, cubic]: [L; 3]) -> L {
    let t = (x * scale).max(L::splat(-1.0)).min(L::splat(1.0));
    (t * t).mul_add(cubic, linear) * t
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
        // Unclamped, over the whole range of the exponent.
        for i in -12_500..12_700 {
            let x = i as f32 * 0.01;
            let rel = (exp2_within(x) / x.exp2() - 1.0).abs();
            assert!(rel < 1e-6, "exp2_within({x}) off by {rel}");
        }
        assert_eq!(exp2(45.0f32), exp2_within(30.0));
        for i in -9_000..9_000 {
            let x = i as f32 * 0.01;
            assert_eq!(
                exp2_times::<f32, 32>(x),
                exp2_within(x) * 4_294_967_296.0,
                "{x}"
            );
        }
    }

    #[test]
    fn sine_matches_std() {
        // Phases over the cycle, the half cycle's edge and the cycle's end among them.
        let edges = [0.5 - f32::EPSILON / 4.0, 0.5, 1.0 - f32::EPSILON / 2.0];
        for x in (0..7300).map(|i| i as f32 * 0.000_137).chain(edges) {
            let err = (sin_phase(x) - (x as f64 * std::f64::consts::TAU).sin() as f32).abs();
            assert!(err < 2e-6, "sin({x}) off by {err}");
        }
    }

    #[test]
    fn sine_cosine_and_their_tangent_match_std_over_the_filter_range() {
        for i in 0..1450 {
            let x = i as f32 * 0.001;
            let (s, c) = sin_cos(x);
            let rel = (s / c / x.tan() - 1.0).abs();
            assert!(x == 0.0 || rel < 1e-5, "tan({x}) off by {rel}");
            assert!(
                (s - x.sin()).abs() < 1e-6 && (c - x.cos()).abs() < 1e-6,
                "{x}"
            );
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

    #[test]
    fn folded_gains_give_the_drive_stage_they_fold() {
        // saturate(x · gain_in) · gain_out over the drive range (gain_in 1…10,
        // gain_out 1/√gain_in) and through the corner and the flat part.
        for drive in [0.0f32, 0.3, 1.0] {
            let gain_in = 1.0 + 9.0 * drive;
            let gain_out = 1.0 / gain_in.sqrt();
            let gains = SaturatorGains::new(gain_in, gain_out).splat::<f32>();
            for i in -300..=300 {
                let x = i as f32 * 0.01;
                let want = saturate(x * gain_in) * gain_out;
                let got = saturate_scaled(x, gains);
                assert!(
                    (got - want).abs() <= 2e-7,
                    "drive {drive}, x {x}: {got} vs {want}"
                );
            }
            let flat = saturate_scaled(100.0, gains);
            assert!((flat - gain_out).abs() <= 2e-7, "drive {drive}: {flat}");
        }
    }
}
