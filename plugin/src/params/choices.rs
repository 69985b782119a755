//! Host-facing choice lists, each mapped 1:1 onto its `octolane_dsp` enum.
//!
//! Every variant carries a stable `#[id]`, so a saved project restores the right choice even
//! if the list is ever reordered; the `#[name]` is what hosts and the editor display.

use nice_plug::prelude::Enum;
use octolane_dsp::{FilterMode, LfoWave, SyncDivision, Waveform};

/// Oscillator waveform choice.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OscWave {
    /// Sine.
    #[id = "sine"]
    #[name = "Sine"]
    Sine,
    /// Triangle.
    #[id = "triangle"]
    #[name = "Triangle"]
    Triangle,
    /// Sawtooth.
    #[id = "saw"]
    #[name = "Saw"]
    Saw,
    /// Pulse.
    #[id = "pulse"]
    #[name = "Pulse"]
    Pulse,
}

impl From<OscWave> for Waveform {
    fn from(w: OscWave) -> Self {
        match w {
            OscWave::Sine => Waveform::Sine,
            OscWave::Triangle => Waveform::Triangle,
            OscWave::Saw => Waveform::Saw,
            OscWave::Pulse => Waveform::Pulse,
        }
    }
}

impl From<Waveform> for OscWave {
    fn from(w: Waveform) -> Self {
        match w {
            Waveform::Sine => OscWave::Sine,
            Waveform::Triangle => OscWave::Triangle,
            Waveform::Saw => OscWave::Saw,
            Waveform::Pulse => OscWave::Pulse,
        }
    }
}

/// Filter response choice.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterChoice {
    /// 12 dB/oct low-pass.
    #[id = "lp12"]
    #[name = "LP 12"]
    Lp12,
    /// 24 dB/oct low-pass.
    #[id = "lp24"]
    #[name = "LP 24"]
    Lp24,
    /// Band-pass.
    #[id = "bp"]
    #[name = "BP"]
    Bp,
    /// High-pass.
    #[id = "hp"]
    #[name = "HP"]
    Hp,
    /// Notch.
    #[id = "notch"]
    #[name = "Notch"]
    Notch,
}

impl From<FilterChoice> for FilterMode {
    fn from(m: FilterChoice) -> Self {
        match m {
            FilterChoice::Lp12 => FilterMode::Lp12,
            FilterChoice::Lp24 => FilterMode::Lp24,
            FilterChoice::Bp => FilterMode::Bp,
            FilterChoice::Hp => FilterMode::Hp,
            FilterChoice::Notch => FilterMode::Notch,
        }
    }
}

impl From<FilterMode> for FilterChoice {
    fn from(m: FilterMode) -> Self {
        match m {
            FilterMode::Lp12 => FilterChoice::Lp12,
            FilterMode::Lp24 => FilterChoice::Lp24,
            FilterMode::Bp => FilterChoice::Bp,
            FilterMode::Hp => FilterChoice::Hp,
            FilterMode::Notch => FilterChoice::Notch,
        }
    }
}

/// LFO waveform choice.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LfoShape {
    /// Sine.
    #[id = "sine"]
    #[name = "Sine"]
    Sine,
    /// Triangle.
    #[id = "triangle"]
    #[name = "Triangle"]
    Triangle,
    /// Rising saw.
    #[id = "saw"]
    #[name = "Saw"]
    Saw,
    /// Square.
    #[id = "square"]
    #[name = "Square"]
    Square,
    /// Sample and hold.
    #[id = "sample_hold"]
    #[name = "S&H"]
    SampleHold,
}

impl From<LfoShape> for LfoWave {
    fn from(w: LfoShape) -> Self {
        match w {
            LfoShape::Sine => LfoWave::Sine,
            LfoShape::Triangle => LfoWave::Triangle,
            LfoShape::Saw => LfoWave::Saw,
            LfoShape::Square => LfoWave::Square,
            LfoShape::SampleHold => LfoWave::SampleHold,
        }
    }
}

impl From<LfoWave> for LfoShape {
    fn from(w: LfoWave) -> Self {
        match w {
            LfoWave::Sine => LfoShape::Sine,
            LfoWave::Triangle => LfoShape::Triangle,
            LfoWave::Saw => LfoShape::Saw,
            LfoWave::Square => LfoShape::Square,
            LfoWave::SampleHold => LfoShape::SampleHold,
        }
    }
}

/// Tempo-synced LFO cycle length; names match [`SyncDivision::label`], order matches
/// [`SyncDivision::ALL`] (a unit test holds them together).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Division {
    #[id = "1_1"]
    #[name = "1/1"]
    Whole,
    #[id = "1_1d"]
    #[name = "1/1 D"]
    WholeDotted,
    #[id = "1_1t"]
    #[name = "1/1 T"]
    WholeTriplet,
    #[id = "1_2"]
    #[name = "1/2"]
    Half,
    #[id = "1_2d"]
    #[name = "1/2 D"]
    HalfDotted,
    #[id = "1_2t"]
    #[name = "1/2 T"]
    HalfTriplet,
    #[id = "1_4"]
    #[name = "1/4"]
    Quarter,
    #[id = "1_4d"]
    #[name = "1/4 D"]
    QuarterDotted,
    #[id = "1_4t"]
    #[name = "1/4 T"]
    QuarterTriplet,
    #[id = "1_8"]
    #[name = "1/8"]
    Eighth,
    #[id = "1_8d"]
    #[name = "1/8 D"]
    EighthDotted,
    #[id = "1_8t"]
    #[name = "1/8 T"]
    EighthTriplet,
    #[id = "1_16"]
    #[name = "1/16"]
    Sixteenth,
    #[id = "1_16d"]
    #[name = "1/16 D"]
    SixteenthDotted,
    #[id = "1_16t"]
    #[name = "1/16 T"]
    SixteenthTriplet,
    #[id = "1_32"]
    #[name = "1/32"]
    ThirtySecond,
    #[id = "1_32d"]
    #[name = "1/32 D"]
    ThirtySecondDotted,
    #[id = "1_32t"]
    #[name = "1/32 T"]
    ThirtySecondTriplet,
}

impl From<Division> for SyncDivision {
    fn from(d: Division) -> Self {
        SyncDivision::ALL[d.to_index().min(SyncDivision::ALL.len() - 1)]
    }
}

impl From<SyncDivision> for Division {
    fn from(d: SyncDivision) -> Self {
        let index = SyncDivision::ALL.iter().position(|x| *x == d).unwrap_or(6);
        Division::from_index(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisions_match_the_engine() {
        assert_eq!(Division::variants().len(), SyncDivision::ALL.len());
        for (i, d) in SyncDivision::ALL.iter().enumerate() {
            assert_eq!(Division::variants()[i], d.label());
            assert_eq!(SyncDivision::from(Division::from_index(i)), *d);
            assert_eq!(Division::from(*d).to_index(), i);
        }
    }

    #[test]
    fn choices_round_trip_through_the_engine_enums() {
        for i in 0..OscWave::variants().len() {
            let w = OscWave::from_index(i);
            assert_eq!(OscWave::from(Waveform::from(w)), w);
        }
        for i in 0..FilterChoice::variants().len() {
            let m = FilterChoice::from_index(i);
            assert_eq!(FilterChoice::from(FilterMode::from(m)), m);
        }
        for i in 0..LfoShape::variants().len() {
            let w = LfoShape::from_index(i);
            assert_eq!(LfoShape::from(LfoWave::from(w)), w);
        }
    }
}
