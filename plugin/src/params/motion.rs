//! The Motion group: eight lanes, each with ids `laneN_enable`, `laneN_dest`, `laneN_depth`,
//! `laneN_length` and `laneN_sync` (N = 1…8). The lanes' points are not parameters: they live
//! in the plugin state (`crate::lanes`).

use super::build::float;
use super::format;
use nice_plug::prelude::*;
use octolane_dsp::Patch;
use octolane_dsp::motion::{Destination, LANE_COUNT, LaneSettings, SyncMode};

/// What a lane modulates.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum LaneDestination {
    #[id = "cutoff"]
    #[name = "Cutoff"]
    Cutoff,
    #[id = "resonance"]
    #[name = "Resonance"]
    Resonance,
    #[id = "pitch"]
    #[name = "Pitch"]
    Pitch,
    #[id = "amplitude"]
    #[name = "Amplitude"]
    Amplitude,
    #[id = "pan"]
    #[name = "Pan"]
    Pan,
    #[id = "osc2_level"]
    #[name = "Osc 2 Level"]
    Osc2Level,
    #[id = "lfo_depth"]
    #[name = "LFO Depth"]
    LfoDepth,
    #[id = "unison_detune"]
    #[name = "Unison Detune"]
    UnisonDetune,
    #[id = "drive"]
    #[name = "Drive"]
    Drive,
}

impl From<Destination> for LaneDestination {
    fn from(d: Destination) -> Self {
        let index = Destination::ALL.iter().position(|x| *x == d).unwrap_or(0);
        LaneDestination::from_index(index)
    }
}

impl From<LaneDestination> for Destination {
    fn from(d: LaneDestination) -> Self {
        Destination::ALL[d.to_index().min(Destination::ALL.len() - 1)]
    }
}

/// How a lane follows time.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum LaneSync {
    #[id = "transport"]
    #[name = "Transport"]
    Transport,
    #[id = "free"]
    #[name = "Free"]
    Free,
    #[id = "retrigger"]
    #[name = "Retrigger"]
    Retrigger,
}

impl From<SyncMode> for LaneSync {
    fn from(s: SyncMode) -> Self {
        match s {
            SyncMode::Transport => LaneSync::Transport,
            SyncMode::Free => LaneSync::Free,
            SyncMode::Retrigger => LaneSync::Retrigger,
        }
    }
}

impl From<LaneSync> for SyncMode {
    fn from(s: LaneSync) -> Self {
        match s {
            LaneSync::Transport => SyncMode::Transport,
            LaneSync::Free => SyncMode::Free,
            LaneSync::Retrigger => SyncMode::Retrigger,
        }
    }
}

/// Lane length, 1/16 beat … 64 bars (4/4).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum LaneLength {
    #[id = "1_16_beat"]
    #[name = "1/16 beat"]
    SixteenthBeat,
    #[id = "1_8_beat"]
    #[name = "1/8 beat"]
    EighthBeat,
    #[id = "1_4_beat"]
    #[name = "1/4 beat"]
    QuarterBeat,
    #[id = "1_2_beat"]
    #[name = "1/2 beat"]
    HalfBeat,
    #[id = "1_beat"]
    #[name = "1 beat"]
    Beat,
    #[id = "2_beats"]
    #[name = "2 beats"]
    TwoBeats,
    #[id = "1_bar"]
    #[name = "1 bar"]
    Bar,
    #[id = "2_bars"]
    #[name = "2 bars"]
    TwoBars,
    #[id = "4_bars"]
    #[name = "4 bars"]
    FourBars,
    #[id = "8_bars"]
    #[name = "8 bars"]
    EightBars,
    #[id = "16_bars"]
    #[name = "16 bars"]
    SixteenBars,
    #[id = "32_bars"]
    #[name = "32 bars"]
    ThirtyTwoBars,
    #[id = "64_bars"]
    #[name = "64 bars"]
    SixtyFourBars,
}

impl LaneLength {
    /// Length in beats: 2^(index − 4), from 1/16 to 256.
    pub fn beats(self) -> f64 {
        2f64.powi(self.to_index() as i32 - 4)
    }

    /// The choice nearest to `beats` (in octaves).
    pub fn from_beats(beats: f64) -> Self {
        let index = (beats.max(1e-9).log2().round() + 4.0).clamp(0.0, 12.0);
        Self::from_index(index as usize)
    }
}

/// One lane's parameters.
#[derive(Params)]
pub struct LaneParams {
    /// Whether the lane modulates.
    #[id = "enable"]
    pub enable: BoolParam,
    /// Destination.
    #[id = "dest"]
    pub dest: EnumParam<LaneDestination>,
    /// Bipolar depth, −100…+100 %.
    #[id = "depth"]
    pub depth: FloatParam,
    /// Loop length.
    #[id = "length"]
    pub length: EnumParam<LaneLength>,
    /// Sync mode.
    #[id = "sync"]
    pub sync: EnumParam<LaneSync>,
}

impl LaneParams {
    /// Lane `number` (1…8) with `d`'s values as defaults.
    pub fn new(number: usize, d: &LaneSettings) -> Self {
        let name = |what: &str| format!("Lane {number} {what}");
        Self {
            enable: BoolParam::new(name("Enable"), d.enabled),
            dest: EnumParam::new(name("Destination"), LaneDestination::from(d.destination)),
            depth: float(
                name("Depth"),
                d.depth,
                FloatRange::Linear {
                    min: -1.0,
                    max: 1.0,
                },
                format::percent(),
            ),
            length: EnumParam::new(name("Length"), LaneLength::from_beats(d.length_beats)),
            sync: EnumParam::new(name("Sync"), LaneSync::from(d.sync)),
        }
    }

    /// The lane's settings as the engine takes them. Wait-free.
    pub fn settings(&self) -> LaneSettings {
        LaneSettings {
            enabled: self.enable.value(),
            destination: self.dest.value().into(),
            depth: self.depth.value(),
            length_beats: self.length.value().beats(),
            sync: self.sync.value().into(),
        }
    }
}

/// The Motion group: lanes 1…8.
#[derive(Params)]
#[allow(missing_docs)]
pub struct MotionParams {
    #[nested(id_prefix = "lane1")]
    pub lane1: LaneParams,
    #[nested(id_prefix = "lane2")]
    pub lane2: LaneParams,
    #[nested(id_prefix = "lane3")]
    pub lane3: LaneParams,
    #[nested(id_prefix = "lane4")]
    pub lane4: LaneParams,
    #[nested(id_prefix = "lane5")]
    pub lane5: LaneParams,
    #[nested(id_prefix = "lane6")]
    pub lane6: LaneParams,
    #[nested(id_prefix = "lane7")]
    pub lane7: LaneParams,
    #[nested(id_prefix = "lane8")]
    pub lane8: LaneParams,
}

impl MotionParams {
    /// The group with `d`'s lane settings as defaults.
    pub fn new(d: &Patch) -> Self {
        let lane = |n: usize| LaneParams::new(n, &d.motion[n - 1]);
        Self {
            lane1: lane(1),
            lane2: lane(2),
            lane3: lane(3),
            lane4: lane(4),
            lane5: lane(5),
            lane6: lane(6),
            lane7: lane(7),
            lane8: lane(8),
        }
    }

    /// The lanes in order.
    pub fn lanes(&self) -> [&LaneParams; LANE_COUNT] {
        [
            &self.lane1,
            &self.lane2,
            &self.lane3,
            &self.lane4,
            &self.lane5,
            &self.lane6,
            &self.lane7,
            &self.lane8,
        ]
    }

    /// Every lane's settings. Wait-free.
    pub fn settings(&self) -> [LaneSettings; LANE_COUNT] {
        self.lanes().map(LaneParams::settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_match_the_engine() {
        assert_eq!(LaneDestination::variants().len(), Destination::ALL.len());
        assert_eq!(LaneLength::SixteenthBeat.beats(), 1.0 / 16.0);
        assert_eq!(LaneLength::Bar.beats(), 4.0);
        assert_eq!(LaneLength::SixtyFourBars.beats(), 256.0);
        let p = MotionParams::new(&Patch::default());
        let s = p.settings();
        assert!(s.iter().all(|l| !l.enabled && l.length_beats == 4.0));
        assert_eq!(s[3].destination, Destination::Amplitude);
    }
}
