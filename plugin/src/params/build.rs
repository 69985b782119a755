//! Constructors shared by the parameter groups: ranges and formatted parameters.

use super::format::{self, FromText, ToText};
use nice_plug::prelude::*;

/// A continuous parameter with a unit-aware formatter/parser pair.
pub(super) fn float(
    name: impl Into<String>,
    default: f32,
    range: FloatRange,
    (to_text, from_text): (ToText<f32>, FromText<f32>),
) -> FloatParam {
    FloatParam::new(name, default, range)
        .with_value_to_string(to_text)
        .with_string_to_value(from_text)
}

/// A linear 0…1 amount shown in percent.
pub(super) fn amount(name: impl Into<String>, default: f32) -> FloatParam {
    float(name, default, linear(0.0, 1.0), format::percent())
}

/// An integer parameter with a formatter/parser pair.
pub(super) fn int(
    name: impl Into<String>,
    default: i32,
    (min, max): (i32, i32),
    (to_text, from_text): (ToText<i32>, FromText<i32>),
) -> IntParam {
    IntParam::new(name, default, IntRange::Linear { min, max })
        .with_value_to_string(to_text)
        .with_string_to_value(from_text)
}

pub(super) fn linear(min: f32, max: f32) -> FloatRange {
    FloatRange::Linear { min, max }
}

/// A power-curve range that gives the low end more travel; `skew` < 0 widens the start.
pub(super) fn skewed(min: f32, max: f32, skew: f32) -> FloatRange {
    FloatRange::Skewed {
        min,
        max,
        factor: FloatRange::skew_factor(skew),
    }
}

/// Octave amounts: "+1.50 oct".
pub(super) fn octaves() -> (ToText<f32>, FromText<f32>) {
    format::number(2, true, "oct", &["octave", "octaves", "o"])
}

/// Semitone amounts with `decimals` places: "+12.0 st".
pub(super) fn semitones(decimals: usize, signed: bool) -> (ToText<f32>, FromText<f32>) {
    format::number(decimals, signed, "st", &["semi", "semitones"])
}
