//! The output soft limiter: transparent below the knee, never above ±1.0.

use crate::math::saturate;

/// Level where the limiter starts to bend the signal.
pub const KNEE: f32 = 0.9;

/// Soft-limit one sample: identity for |x| ≤ `KNEE`, a smooth curve to ±1.0 above it, and
/// 0 for a non-finite input. Allocation-free, O(1).
#[inline]
pub fn soft_limit(x: f32) -> f32 {
    if !x.is_finite() {
        return 0.0;
    }
    let magnitude = x.abs();
    if magnitude <= KNEE {
        return x;
    }
    let headroom = 1.0 - KNEE;
    let bent = KNEE + headroom * saturate((magnitude - KNEE) / headroom);
    bent.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
