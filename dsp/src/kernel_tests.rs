//! The kernel's amp envelope recurrence against the bounded one it stands for.

use super::*;

#[test]
fn an_unbounded_level_sounds_as_one_bounded_at_every_step() {
    // The kernel steps the amp level without its bounds and bounds what it plays
    // (`control::amp_sounding`). Hold that, sample by sample and to the bit, to the level
    // bounded at every step: attacks that overshoot 1, decays onto a floor at the sustain
    // level or below it (a sustain raised mid-decay), releases and fades below 0, and
    // segments that never reach a bound.
    use crate::control::{ATTACK_TARGET, RELEASE_TARGET};
    let segments = [
        // (start, target, per-sample coefficient, floor)
        (0.0f32, ATTACK_TARGET, 0.999, 0.0),
        (0.3, ATTACK_TARGET, 0.9, 0.0),
        (1.0, 0.5 - 1e-5, 0.995, 0.5),
        (0.7, 0.2 - 1e-5, 0.9, 0.2),
        (0.1, 0.6 - 1e-5, 0.99, 0.1),
        (0.8, RELEASE_TARGET, 0.98, 0.0),
        (0.05, RELEASE_TARGET, 0.5, 0.0),
        (0.4, RELEASE_TARGET, 0.999_99, 0.0),
    ];
    for (k, (start, target, coef, floor)) in segments.into_iter().enumerate() {
        let (mut bounded, mut raw) = (start, start);
        let mut bound_reached = false;
        // The lanes' own operations, as the kernel steps them (f32's inherent methods
        // would shadow them).
        let step = |level: f32| <f32 as Lanes>::mul_add(level - target, coef, target);
        for n in 0..20_000 {
            bounded = <f32 as Lanes>::max(<f32 as Lanes>::min(step(bounded), 1.0), floor);
            raw = step(raw);
            let sounding = amp_sounding(raw, floor);
            assert_eq!(
                sounding.to_bits(),
                bounded.to_bits(),
                "segment {k}, sample {n}: {sounding} vs {bounded}"
            );
            bound_reached |= raw != sounding;
        }
        // The segments heading past a bound do get there (the others stay inside).
        assert_eq!(bound_reached, k != 4 && k != 7, "segment {k}");
    }
}
