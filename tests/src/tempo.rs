//! A tempo map: piecewise-constant tempo, converting between seconds and beats.

use crate::events::Transport;

/// A span of constant tempo.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TempoSegment {
    start_seconds: f64,
    start_beat: f64,
    bpm: f64,
}

/// Piecewise-constant tempo over the song, starting at beat 0 = 0 s.
#[derive(Debug, Clone, PartialEq)]
pub struct TempoMap {
    segments: Vec<TempoSegment>,
}

impl TempoMap {
    /// One tempo for the whole song.
    pub fn constant(bpm: f64) -> Self {
        Self {
            segments: vec![TempoSegment {
                start_seconds: 0.0,
                start_beat: 0.0,
                bpm,
            }],
        }
    }

    /// Changes the tempo to `bpm` from `beat` on (changes must come in non-decreasing beat order;
    /// a change at the same beat as the previous one replaces it).
    pub fn set_tempo_at_beat(&mut self, beat: f64, bpm: f64) {
        let start_seconds = self.seconds_at_beat(beat);
        match self.segments.last_mut() {
            Some(last) if last.start_beat >= beat => last.bpm = bpm,
            _ => self.segments.push(TempoSegment {
                start_seconds,
                start_beat: beat,
                bpm,
            }),
        }
    }

    fn segment_at_seconds(&self, seconds: f64) -> &TempoSegment {
        let i = self
            .segments
            .partition_point(|s| s.start_seconds <= seconds)
            .max(1);
        &self.segments[i - 1]
    }

    fn segment_at_beat(&self, beat: f64) -> &TempoSegment {
        let i = self
            .segments
            .partition_point(|s| s.start_beat <= beat)
            .max(1);
        &self.segments[i - 1]
    }

    /// Tempo in effect at `seconds`.
    pub fn bpm_at_seconds(&self, seconds: f64) -> f64 {
        self.segment_at_seconds(seconds).bpm
    }

    /// Song position in beats at `seconds`.
    pub fn beat_at_seconds(&self, seconds: f64) -> f64 {
        let s = self.segment_at_seconds(seconds);
        s.start_beat + (seconds - s.start_seconds) * s.bpm / 60.0
    }

    /// Time in seconds of song position `beat`.
    pub fn seconds_at_beat(&self, beat: f64) -> f64 {
        let s = self.segment_at_beat(beat);
        s.start_seconds + (beat - s.start_beat) * 60.0 / s.bpm
    }

    /// A playing transport for the block that starts at `frame`.
    pub fn transport_at_frame(&self, frame: u64, sample_rate: f64) -> Transport {
        let seconds = frame as f64 / sample_rate;
        Transport::playing(
            self.bpm_at_seconds(seconds),
            self.beat_at_seconds(seconds),
            seconds,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beats_and_seconds_follow_tempo_changes() {
        let mut map = TempoMap::constant(120.0);
        map.set_tempo_at_beat(4.0, 60.0);
        assert_eq!(map.seconds_at_beat(4.0), 2.0);
        assert_eq!(map.seconds_at_beat(6.0), 4.0);
        assert_eq!(map.beat_at_seconds(1.0), 2.0);
        assert_eq!(map.beat_at_seconds(3.0), 5.0);
        assert_eq!(map.bpm_at_seconds(1.99), 120.0);
        assert_eq!(map.bpm_at_seconds(2.0), 60.0);
    }
}
