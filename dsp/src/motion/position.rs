//! Where a lane is in beats at an absolute sample: the host's song position (Transport sync)
//! or a lane's own tempo-driven clock (Free and Retrigger).
//!
//! Positions are computed from an anchor — a (sample clock, beat) pair and beats per sample —
//! so the beat at a given absolute sample is the same whatever blocks the host cuts time
//! into. The host's reported block-start position re-anchors only when it disagrees with the
//! prediction (a seek, a loop wrap, a start or stop) or the tempo changes.

use super::cursor::LaneCursor;
use super::lane::{LaneCurve, LaneSettings, SyncMode};
use crate::event::Transport;

/// Tempo used without a valid host tempo.
pub const DEFAULT_TEMPO_BPM: f64 = 120.0;
/// A reported position further than this from the prediction (in beats) is a jump. Larger
/// than CLAP's beat-time resolution (2⁻³¹ beat), far below one sample at any tempo.
pub const JUMP_TOLERANCE_BEATS: f64 = 1e-6;

/// Beats per sample at `tempo_bpm` (120 when not finite and positive; clamped to 1…1,000).
pub fn beats_per_sample(tempo_bpm: f64, sample_rate: f64) -> f64 {
    let tempo = if tempo_bpm.is_finite() && tempo_bpm > 0.0 {
        tempo_bpm.clamp(1.0, 1_000.0)
    } else {
        DEFAULT_TEMPO_BPM
    };
    tempo / 60.0 / sample_rate
}

/// A linear beat clock: `beat = anchor_beat + (clock − anchor_clock) × beats_per_sample`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BeatClock {
    /// Absolute sample the anchor sits on.
    pub anchor_clock: u64,
    /// Beat at the anchor.
    pub anchor_beat: f64,
    /// Beats per sample from the anchor on.
    pub beats_per_sample: f64,
}

impl BeatClock {
    /// The beat at absolute sample `clock`. O(1).
    #[inline]
    pub fn beat_at(&self, clock: u64) -> f64 {
        let samples = clock as f64 - self.anchor_clock as f64;
        self.anchor_beat + samples * self.beats_per_sample
    }

    /// Continue from where the clock is at `clock`, at a new rate.
    pub fn retime(&mut self, clock: u64, beats_per_sample: f64) {
        if beats_per_sample != self.beats_per_sample {
            *self = Self {
                anchor_clock: clock,
                anchor_beat: self.beat_at(clock),
                beats_per_sample,
            };
        }
    }
}

/// The host's song position, tracked across blocks.
#[derive(Clone, Copy, Debug, Default)]
pub struct SongPosition {
    clock: BeatClock,
    known: bool,
}

impl SongPosition {
    /// Take the transport reported for the block that starts at absolute sample `clock`.
    /// Returns whether the position jumped (seek, loop, start, stop, tempo change). O(1).
    pub fn update(&mut self, transport: &Transport, clock: u64, sample_rate: f64) -> bool {
        let Some(reported) = transport.beat_position.filter(|b| b.is_finite()) else {
            let jumped = self.known;
            self.known = false;
            return jumped;
        };
        let rate = if transport.playing {
            beats_per_sample(transport.tempo_bpm, sample_rate)
        } else {
            0.0
        };
        let predicted = self.clock.beat_at(clock);
        let jumped = !self.known
            || rate != self.clock.beats_per_sample
            || (reported - predicted).abs() > JUMP_TOLERANCE_BEATS;
        if jumped {
            self.clock = BeatClock {
                anchor_clock: clock,
                anchor_beat: reported,
                beats_per_sample: rate,
            };
        }
        self.known = true;
        jumped
    }

    /// The song position in beats at absolute sample `clock`, if the host gives one.
    #[inline]
    pub fn beat_at(&self, clock: u64) -> Option<f64> {
        self.known.then(|| self.clock.beat_at(clock))
    }
}

/// One lane's playback: its own clock for Free and Retrigger, and its cursor.
#[derive(Clone, Debug, Default)]
pub struct LanePlayer {
    cursor: LaneCursor,
    free: BeatClock,
    sync: SyncMode,
    /// Phase (beats into the lap) and value at the last evaluation.
    phase: f64,
    value: f32,
}

impl LanePlayer {
    /// A player for `curve` with `settings`, its free clock at beat 0 at sample 0.
    pub fn new(curve: &LaneCurve, settings: &LaneSettings, sample_rate: f64) -> Self {
        let mut p = Self {
            cursor: LaneCursor::new(curve, settings.length_beats),
            sync: settings.sync,
            ..Self::default()
        };
        p.free.beats_per_sample = beats_per_sample(DEFAULT_TEMPO_BPM, sample_rate);
        p
    }

    /// Adopt a new curve (a snapshot was installed): the next evaluation seeks. O(log n).
    pub fn set_curve(&mut self, curve: &LaneCurve) {
        let length = self.cursor.length();
        self.cursor.reset(curve, length);
    }

    /// Prepare for the block starting at `clock`: follow length, sync and tempo changes.
    /// Allocation-free, O(log n) when the length changed, else O(1).
    pub fn begin_block(
        &mut self,
        curve: &LaneCurve,
        settings: &LaneSettings,
        song: &SongPosition,
        tempo_bpm: f64,
        clock: u64,
        sample_rate: f64,
    ) {
        if settings.length_beats != self.cursor.length() {
            self.cursor.reset(curve, settings.length_beats);
        }
        if settings.sync != self.sync {
            // Free and Retrigger carry on from where the lane was.
            let here = self.beat_at(song, clock);
            self.free.anchor_clock = clock;
            self.free.anchor_beat = here;
            self.sync = settings.sync;
        }
        self.free
            .retime(clock, beats_per_sample(tempo_bpm, sample_rate));
    }

    /// A note-on at `clock` with no other key held: a Retrigger lane restarts from 0.
    pub fn note_on(&mut self, clock: u64) {
        if self.sync == SyncMode::Retrigger {
            self.free.anchor_clock = clock;
            self.free.anchor_beat = 0.0;
        }
    }

    /// The lane's unwrapped position in beats at `clock`.
    #[inline]
    pub fn beat_at(&self, song: &SongPosition, clock: u64) -> f64 {
        match (self.sync, song.beat_at(clock)) {
            (SyncMode::Transport, Some(beat)) => beat,
            _ => self.free.beat_at(clock),
        }
    }

    /// The lane's value (0…1) at absolute sample `clock`. Allocation-free; amortized O(1).
    #[inline]
    pub fn value_at(&mut self, curve: &LaneCurve, song: &SongPosition, clock: u64) -> f32 {
        let beat = self.beat_at(song, clock);
        self.value = self.cursor.value_at(curve, beat);
        self.phase = self.cursor.phase_of(beat);
        self.value
    }

    /// Value at the last evaluation.
    pub fn value(&self) -> f32 {
        self.value
    }

    /// Position in the lap at the last evaluation, 0…1 of the lane length.
    pub fn lap_fraction(&self) -> f32 {
        (self.phase / self.cursor.length().max(f64::MIN_POSITIVE)).clamp(0.0, 1.0) as f32
    }

    /// The cursor, for cost accounting.
    pub fn cursor(&self) -> &LaneCursor {
        &self.cursor
    }
}
