//! The output stage: master gain ramp and a soft limiter that is transparent below the knee
//! and never goes past ±1.0, run eight output samples at a time in both engines (in the
//! lanes [`Lanes::Out8`] names).

use crate::control::CONTROL_INTERVAL;
use crate::lanes::{Lanes, Lanes8};

/// Level where the limiter starts to bend the signal.
pub const KNEE: f32 = 0.9;

/// Soft-limit samples: identity for |x| ≤ `KNEE`, above it a curve with slope 1 at the knee
/// that approaches ±1.0 (no flat tops: in `f32` it rounds to exactly ±1.0 only for inputs
/// beyond about ±3·10⁵); 0 for a non-finite input. Branch-free. Allocation-free, O(1).
#[inline(always)]
pub fn soft_limit<L: Lanes>(x: L) -> L {
    let zero = L::splat(0.0);
    let knee = L::splat(KNEE);
    let headroom = L::splat(1.0 - KNEE);
    let magnitude = x.abs();
    // Bounded so that over / (1 + over) stays 1 rather than ∞ / ∞ for huge inputs.
    let over = ((magnitude - knee) / headroom).min(L::splat(1e30));
    let bent = knee + headroom * over / (L::splat(1.0) + over);
    let limited = magnitude.le(knee).select(x, x.lt(zero).select(-bent, bent));
    // NaN fails every comparison and ∞ is above the largest finite value.
    let finite = magnitude.le(L::splat(f32::MAX));
    finite.and(limited)
}

/// Scale one run's mixed samples in place (at most `CONTROL_INTERVAL` per channel, starting
/// `tick_pos` samples after a control tick) by the master gain ramp (start, step per sample)
/// and limit them, returning how many mixed samples were not finite (they come out silent).
/// The mix is drained straight into the output, so the run's samples are read and written
/// where they lie. Allocation-free, O(samples).
#[inline(always)]
pub fn output_run<W: Lanes8>(
    ramp: (f32, f32),
    tick_pos: usize,
    left: &mut [f32],
    right: &mut [f32],
) -> u64 {
    let n = left.len().min(right.len()).min(CONTROL_INTERVAL);
    let mut non_finite = 0;
    for out in [&mut left[..n], &mut right[..n]] {
        let (whole, rest) = out.as_chunks_mut::<8>();
        for (chunk, samples) in whole.iter_mut().enumerate() {
            let (limited, broken) =
                limit_chunk(W::from_array(*samples) * ramp_chunk::<W>(ramp, tick_pos + chunk * 8));
            *samples = limited.to_array();
            non_finite += broken;
        }
        // A run's last, short chunk is padded with silence (finite, so never counted).
        if !rest.is_empty() {
            let mut padded = [0.0f32; 8];
            padded[..rest.len()].copy_from_slice(rest);
            let (limited, broken) = limit_chunk(
                W::from_array(padded) * ramp_chunk::<W>(ramp, tick_pos + whole.len() * 8),
            );
            rest.copy_from_slice(&limited.to_array()[..rest.len()]);
            non_finite += broken;
        }
    }
    non_finite
}

/// The gain ramp (start, step per sample) at the eight samples from `first` after the tick.
/// A steady gain (the usual case) is the same in every sample: start + 0 · position. (A
/// function rather than a closure, which a debug build left a call in the engine's AVX2
/// entry points.)
#[inline(always)]
fn ramp_chunk<W: Lanes8>((start, step): (f32, f32), first: usize) -> W {
    if step == 0.0 {
        return W::splat(start);
    }
    let offsets = W::from_array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
    W::splat(start) + W::splat(step) * (W::splat(first as f32) + offsets)
}

/// Limit eight gained samples and count how many were not finite.
#[inline(always)]
fn limit_chunk<W: Lanes8>(x: W) -> (W, u64) {
    let magnitude = x.abs();
    // Below the knee (the usual case) the limiter is the identity and every sample is finite
    // (NaN fails the comparison): skip the curve and the count.
    if magnitude.le(W::splat(KNEE)).bitmask() == 0xFF {
        return (x, 0);
    }
    let finite = magnitude.le(W::splat(f32::MAX)).bitmask();
    (soft_limit(x), u64::from((!finite & 0xFF).count_ones()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wide::f32x8;

    #[test]
    fn transparent_below_the_knee_and_bounded_above() {
        assert_eq!(soft_limit(0.5), 0.5);
        assert_eq!(soft_limit(-0.9), -0.9);
        for i in 0..1000 {
            let x = i as f32 * 0.05;
            assert!(soft_limit(x) <= 1.0 && soft_limit(-x) >= -1.0);
            assert!(
                soft_limit(x) >= soft_limit(x * 0.99),
                "not monotonic at {x}"
            );
        }
        assert_eq!(soft_limit(f32::NAN), 0.0);
        assert_eq!(soft_limit(f32::INFINITY), 0.0);
        assert_eq!(soft_limit(-2.0), -soft_limit(2.0));
    }

    #[test]
    fn a_run_is_gained_limited_and_its_broken_samples_counted() {
        let (mut left, mut right) = ([0.5f32; 11], [0.5f32; 11]);
        left[3] = f32::NAN;
        right[9] = f32::INFINITY;
        // Gain ramps 1, 1.5, 2, … from the run's first sample (5 after the tick).
        let broken = output_run::<f32x8>((-1.5, 0.5), 5, &mut left, &mut right);
        assert_eq!(broken, 2);
        assert_eq!(left[0], 0.5);
        assert_eq!(left[1], 0.75);
        assert_eq!((left[3], right[9]), (0.0, 0.0));
        assert_eq!(left[10], soft_limit(0.5 * 6.0));
        assert!(left.iter().chain(&right).all(|x| x.abs() < 1.0));
    }

    #[test]
    fn quiet_runs_pass_exactly_and_one_loud_sample_is_limited() {
        // Left stays below the knee; right has one sample past it in its second chunk.
        let mut mix: [[f32; CONTROL_INTERVAL]; 2] = [
            std::array::from_fn(|i| 0.01 * i as f32 - 0.07),
            std::array::from_fn(|i| -0.5 + 0.001 * i as f32),
        ];
        mix[1][13] = 3.0;
        let [mut left, mut right] = mix;
        let broken = output_run::<f32x8>((0.5, 0.0), 0, &mut left, &mut right);
        assert_eq!(broken, 0);
        for i in 0..CONTROL_INTERVAL {
            assert_eq!(left[i], mix[0][i] * 0.5, "left {i}");
            assert_eq!(right[i], soft_limit(mix[1][i] * 0.5), "right {i}");
        }
        assert_eq!(right[12], mix[1][12] * 0.5);
        assert!(right[13] > KNEE && right[13] < 1.0);
    }
}
