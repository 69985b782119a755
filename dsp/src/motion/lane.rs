//! A motion lane: a breakpoint curve over a loop of N beats, and the settings that say where
//! it goes (destination, bipolar depth, length, sync mode).
//!
//! The curve is periodic: the segment after the last point runs to the first point one lane
//! length later, so a loop never jumps unless the points say so. Points at or beyond the lane
//! length are kept but ignored until the length grows past them.

/// Most points one lane holds.
pub const MAX_POINTS: usize = 4_096;
/// Shortest lane, in beats (a sixteenth of a beat).
pub const MIN_LENGTH_BEATS: f64 = 1.0 / 16.0;
/// Longest lane, in beats (64 bars of 4/4).
pub const MAX_LENGTH_BEATS: f64 = 256.0;

/// Shape of the segment that starts at a point.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Curve {
    /// Hold the point's value until the next point.
    Step,
    /// Straight line to the next point.
    #[default]
    Linear,
    /// Power curve to the next point; tension −1…+1 (0 is a straight line, > 0 starts slow,
    /// < 0 starts fast).
    Curved(f32),
}

impl Curve {
    /// Where a segment of this shape is at fraction `t` (0…1) of its length, 0…1.
    #[inline]
    pub fn shape(self, t: f64) -> f64 {
        match self {
            Curve::Step => 0.0,
            Curve::Linear => t,
            Curve::Curved(tension) => t.powf(4f64.powf(f64::from(tension))),
        }
    }
}

/// One breakpoint.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct LanePoint {
    /// Position in beats from the lane start, ≥ 0.
    pub beat: f64,
    /// Value, 0…1.
    pub value: f32,
    /// Shape of the segment that starts here.
    pub curve: Curve,
}

impl LanePoint {
    /// A point at `beat` with `value` and the segment shape `curve` after it.
    pub const fn new(beat: f64, value: f32, curve: Curve) -> Self {
        Self { beat, value, curve }
    }
}

/// A validated breakpoint curve: 1…[`MAX_POINTS`] points sorted by beat, finite, in range.
/// Build one with [`LaneCurve::new`] (refuses bad input) or [`LaneCurve::repaired`]
/// (see `validate.rs`).
#[derive(Clone, Debug, PartialEq)]
pub struct LaneCurve {
    points: Vec<LanePoint>,
}

impl Default for LaneCurve {
    /// A triangle over one bar: 0 at the downbeat, 1 at beat 2, back to 0 at the bar end.
    fn default() -> Self {
        Self {
            points: vec![
                LanePoint::new(0.0, 0.0, Curve::Linear),
                LanePoint::new(2.0, 1.0, Curve::Linear),
            ],
        }
    }
}

impl LaneCurve {
    /// The points as a curve if they are already valid (non-empty, at most [`MAX_POINTS`],
    /// sorted, finite, beats in 0…[`MAX_LENGTH_BEATS`], values 0…1, tensions −1…1).
    pub fn new(points: Vec<LanePoint>) -> Result<Self, &'static str> {
        if points.is_empty() {
            return Err("a lane needs at least one point");
        }
        if points.len() > MAX_POINTS {
            return Err("a lane holds at most 4,096 points");
        }
        for p in &points {
            if !(p.beat.is_finite() && (0.0..MAX_LENGTH_BEATS).contains(&p.beat)) {
                return Err("a point's beat is not finite or out of range");
            }
            if !(p.value.is_finite() && (0.0..=1.0).contains(&p.value)) {
                return Err("a point's value is not finite or out of 0…1");
            }
            if let Curve::Curved(t) = p.curve
                && !(t.is_finite() && (-1.0..=1.0).contains(&t))
            {
                return Err("a curve tension is not finite or out of −1…1");
            }
        }
        if points.windows(2).any(|w| w[1].beat < w[0].beat) {
            return Err("points are not sorted by beat");
        }
        Ok(Self { points })
    }

    /// The points, sorted by beat.
    pub fn points(&self) -> &[LanePoint] {
        &self.points
    }

    /// Number of points that lie inside a lane of `length` beats (those before it). O(log n).
    pub fn points_within(&self, length: f64) -> usize {
        self.points.partition_point(|p| p.beat < length)
    }

    /// Value of segment `seg` at `phase` beats into the lap, for a lane of `length` beats whose
    /// first `n` points are active. Segment `k` (0…n) is the span after `k` points: 0 is the
    /// wrap-in before the first point, `n` the tail after the last one. O(1).
    #[inline]
    pub fn segment_value(&self, n: usize, length: f64, seg: usize, phase: f64) -> f32 {
        if n == 0 {
            return self.points[0].value;
        }
        let p = &self.points;
        let (from, from_beat, to, to_beat) = if seg == 0 {
            (p[n - 1], p[n - 1].beat - length, p[0], p[0].beat)
        } else if seg >= n {
            (p[n - 1], p[n - 1].beat, p[0], p[0].beat + length)
        } else {
            (p[seg - 1], p[seg - 1].beat, p[seg], p[seg].beat)
        };
        interpolate(from, from_beat, to.value, to_beat, phase)
    }
}

/// Value between `from` (at `from_beat`) and a point of value `to_value` at `to_beat`.
#[inline]
fn interpolate(from: LanePoint, from_beat: f64, to_value: f32, to_beat: f64, phase: f64) -> f32 {
    let span = to_beat - from_beat;
    if span.is_nan() || span <= 0.0 {
        return from.value;
    }
    let t = ((phase - from_beat) / span).clamp(0.0, 1.0);
    let a = f64::from(from.value);
    (a + (f64::from(to_value) - a) * from.curve.shape(t)) as f32
}

/// What a lane modulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Destination {
    /// Filter cutoff: ± 6 octaves at full depth.
    #[default]
    Cutoff,
    /// Filter resonance: ± 1 (the whole range) at full depth.
    Resonance,
    /// Pitch: ± 12 semitones at full depth.
    Pitch,
    /// Amplitude: the lane scales the voice gain (a gate at full depth).
    Amplitude,
    /// Pan: ± 1 (hard left … hard right) at full depth.
    Pan,
    /// Oscillator 2 level: ± 1 at full depth.
    Osc2Level,
    /// LFO depth: the lane scales every LFO amount.
    LfoDepth,
    /// Unison detune: ± 100 cents at full depth.
    UnisonDetune,
    /// Filter drive: ± 1 at full depth.
    Drive,
}

impl Destination {
    /// Every destination, in the order the plugin exposes them.
    pub const ALL: [Destination; 9] = [
        Self::Cutoff,
        Self::Resonance,
        Self::Pitch,
        Self::Amplitude,
        Self::Pan,
        Self::Osc2Level,
        Self::LfoDepth,
        Self::UnisonDetune,
        Self::Drive,
    ];
}

/// How a lane's position follows time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SyncMode {
    /// Follows the host's song position: loops, jumps and stops with the transport.
    #[default]
    Transport,
    /// Runs at the host tempo (120 BPM without one) from wherever it is, ignoring jumps.
    Free,
    /// Like `Free`, but restarts from 0 on a note-on when no other key is held.
    Retrigger,
}

/// A lane's host-automatable settings: enable, destination, depth, length and sync.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneSettings {
    /// Whether the lane modulates anything.
    pub enabled: bool,
    /// What it modulates.
    pub destination: Destination,
    /// Bipolar depth, −1…+1.
    pub depth: f32,
    /// Loop length in beats, [`MIN_LENGTH_BEATS`]…[`MAX_LENGTH_BEATS`].
    pub length_beats: f64,
    /// How the position follows time.
    pub sync: SyncMode,
}

impl Default for LaneSettings {
    /// Off, cutoff, +50 %, one bar, transport sync.
    fn default() -> Self {
        Self {
            enabled: false,
            destination: Destination::Cutoff,
            depth: 0.5,
            length_beats: 4.0,
            sync: SyncMode::Transport,
        }
    }
}

impl LaneSettings {
    /// The settings clamped to their ranges; non-finite values fall back to the defaults.
    /// Allocation-free, O(1).
    pub fn sanitized(&self) -> Self {
        let d = Self::default();
        Self {
            enabled: self.enabled,
            destination: self.destination,
            depth: if self.depth.is_finite() {
                self.depth.clamp(-1.0, 1.0)
            } else {
                0.0
            },
            length_beats: if self.length_beats.is_finite() {
                self.length_beats.clamp(MIN_LENGTH_BEATS, MAX_LENGTH_BEATS)
            } else {
                d.length_beats
            },
            sync: self.sync,
        }
    }
}

/// A whole lane: its curve and its settings.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Lane {
    /// The breakpoints.
    pub curve: LaneCurve,
    /// Destination, depth, length, sync, enable.
    pub settings: LaneSettings,
}
