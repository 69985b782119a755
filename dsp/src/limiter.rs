//! The output soft limiter: transparent below the knee, never above ±1.0.

/// Level where the limiter starts to bend the signal.
pub const KNEE: f32 = 0.9;

/// Soft-limit one sample: identity for |x| ≤ `KNEE`, above it a curve with slope 1 at the
/// knee that approaches ±1.0 but never reaches it (no flat tops); 0 for a non-finite input.
/// Allocation-free, O(1).
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
    let over = (magnitude - KNEE) / headroom;
    let bent = KNEE + headroom * over / (1.0 + over);
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
