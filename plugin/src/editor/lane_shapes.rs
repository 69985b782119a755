//! One-click lane shapes, built for a lane of a given length in beats.

use octolane_dsp::motion::{Curve, LanePoint};

/// The shapes the Motion view offers, with their button labels.
pub const SHAPES: [(&str, Shape); 5] = [
    ("Rise", Shape::RampUp),
    ("Fall", Shape::RampDown),
    ("Triangle", Shape::Triangle),
    ("Gate", Shape::SquareGate),
    ("Random", Shape::RandomSteps),
];

/// A one-click shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// 0 → 1 over the lane, then back to 0.
    RampUp,
    /// 1 → 0 over the lane.
    RampDown,
    /// 0 → 1 → 0.
    Triangle,
    /// Eight on/off steps.
    SquareGate,
    /// Sixteen random steps.
    RandomSteps,
}

/// The points of `shape` over `length` beats; `seed` varies the random steps.
pub fn points(shape: Shape, length: f64, seed: u32) -> Vec<LanePoint> {
    // The wrap back to the first point takes the last 1/256 of the lane.
    let end = length * 255.0 / 256.0;
    match shape {
        Shape::RampUp => vec![
            LanePoint::new(0.0, 0.0, Curve::Linear),
            LanePoint::new(end, 1.0, Curve::Linear),
        ],
        Shape::RampDown => vec![
            LanePoint::new(0.0, 1.0, Curve::Linear),
            LanePoint::new(end, 0.0, Curve::Linear),
        ],
        Shape::Triangle => vec![
            LanePoint::new(0.0, 0.0, Curve::Linear),
            LanePoint::new(length / 2.0, 1.0, Curve::Linear),
        ],
        Shape::SquareGate => (0..16)
            .map(|i| LanePoint::new(i as f64 * length / 16.0, (1 - i % 2) as f32, Curve::Step))
            .collect(),
        Shape::RandomSteps => {
            let mut x = seed | 1;
            (0..16)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    let value = (x % 1_000) as f32 / 999.0;
                    LanePoint::new(i as f64 * length / 16.0, value, Curve::Step)
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use octolane_dsp::motion::LaneCurve;

    #[test]
    fn every_shape_is_a_valid_curve_at_every_length() {
        for (_, shape) in SHAPES {
            for length in [1.0 / 16.0, 1.0, 4.0, 256.0] {
                let p = points(shape, length, 7);
                assert!(LaneCurve::new(p).is_ok(), "{shape:?} at {length}");
            }
        }
    }
}
