//! The brute-force reference evaluation of a lane: O(points) per call, for tests and tools
//! that check the cursor. Never used on the audio thread.

use crate::motion::lane::{Curve, LaneCurve, LanePoint};

/// A lane's value at `beat` from scratch: wrap the beat into the lap of `length` beats, scan
/// for the segment, interpolate. Allocates; O(points).
pub fn value_from_scratch(curve: &LaneCurve, length: f64, beat: f64) -> f32 {
    let active: Vec<&LanePoint> = curve.points().iter().filter(|p| p.beat < length).collect();
    if active.is_empty() {
        return curve.points()[0].value;
    }
    let phase = beat.rem_euclid(length);
    let k = active.iter().filter(|p| p.beat <= phase).count();
    let last = active[active.len() - 1];
    let (from, from_beat, to_value, to_beat) = match k {
        0 => (last, last.beat - length, active[0].value, active[0].beat),
        k if k == active.len() => (last, last.beat, active[0].value, active[0].beat + length),
        k => (
            active[k - 1],
            active[k - 1].beat,
            active[k].value,
            active[k].beat,
        ),
    };
    if to_beat <= from_beat {
        return from.value;
    }
    let t = (phase - from_beat) / (to_beat - from_beat);
    let shaped = match from.curve {
        Curve::Step => 0.0,
        Curve::Linear => t,
        Curve::Curved(tension) => t.powf(4f64.powf(f64::from(tension))),
    };
    (f64::from(from.value) + (f64::from(to_value) - f64::from(from.value)) * shaped) as f32
}
