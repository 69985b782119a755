//! Shared by the motion-lane tests: a seeded generator, random curves, a brute-force lane
//! evaluation and a host transport that seeks, loops, stops, starts and changes tempo.
#![allow(dead_code)]

use octolane_dsp::Transport;
use octolane_dsp::motion::{Curve, LaneCurve, LanePoint, beats_per_sample};

/// A small xorshift generator, so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in 0..1.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Lane lengths the plugin offers: 1/16 beat … 64 bars.
pub const LENGTHS: [f64; 13] = [
    0.0625, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0,
];

/// `n` random points spread over `span` beats with every curve kind.
pub fn random_curve(rng: &mut Rng, n: usize, span: f64) -> LaneCurve {
    let mut points: Vec<LanePoint> = (0..n)
        .map(|_| {
            let curve = match rng.below(3) {
                0 => Curve::Step,
                1 => Curve::Linear,
                _ => Curve::Curved((rng.unit() * 2.0 - 1.0) as f32),
            };
            LanePoint::new(rng.unit() * span, rng.unit() as f32, curve)
        })
        .collect();
    points.sort_by(|a, b| a.beat.total_cmp(&b.beat));
    LaneCurve::new(points).expect("valid random curve")
}

pub use octolane_dsp::motion::reference::value_from_scratch as brute;

/// A host transport history: constant tempo between changes, jumps at block starts.
pub struct HostTransport {
    pub sample_rate: f64,
    pub tempo: f64,
    pub playing: bool,
    anchor_frame: u64,
    anchor_beat: f64,
    /// Active host loop (start, end) in beats.
    pub loop_range: Option<(f64, f64)>,
}

impl HostTransport {
    /// Playing from beat `beat` at frame 0.
    pub fn new(sample_rate: f64, tempo: f64, beat: f64) -> Self {
        Self {
            sample_rate,
            tempo,
            playing: true,
            anchor_frame: 0,
            anchor_beat: beat,
            loop_range: None,
        }
    }

    fn rate(&self) -> f64 {
        if self.playing {
            beats_per_sample(self.tempo, self.sample_rate)
        } else {
            0.0
        }
    }

    /// The song position at `frame`, as the host computes it.
    pub fn beat_at(&self, frame: u64) -> f64 {
        self.anchor_beat + (frame as f64 - self.anchor_frame as f64) * self.rate()
    }

    /// Re-anchor at `frame` on `beat`.
    pub fn jump(&mut self, frame: u64, beat: f64) {
        self.anchor_frame = frame;
        self.anchor_beat = beat;
    }

    /// A tempo change at `frame`.
    pub fn set_tempo(&mut self, frame: u64, tempo: f64) {
        let here = self.beat_at(frame);
        self.tempo = tempo;
        self.jump(frame, here);
    }

    /// Stop or start at `frame`.
    pub fn set_playing(&mut self, frame: u64, playing: bool) {
        let here = self.beat_at(frame);
        self.playing = playing;
        self.jump(frame, here);
    }

    /// The transport for the block starting at `frame`, wrapping the host loop first.
    pub fn block(&mut self, frame: u64) -> Transport {
        if let Some((start, end)) = self.loop_range {
            let here = self.beat_at(frame);
            if self.playing && here >= end {
                self.jump(frame, start + (here - end) % (end - start));
            }
        }
        Transport {
            tempo_bpm: self.tempo,
            playing: self.playing,
            beat_position: Some(self.beat_at(frame)),
        }
    }

    /// A random change before the block at `frame`: tempo, seek, loop, stop/start, or none.
    pub fn random_change(&mut self, rng: &mut Rng, frame: u64) {
        match rng.below(10) {
            0 => self.set_tempo(frame, 40.0 + rng.unit() * 260.0),
            1 => self.jump(frame, rng.unit() * 300.0),
            2 => {
                let start = (rng.unit() * 32.0).floor();
                let end = start + 1.0 + (rng.unit() * 8.0).floor();
                self.loop_range = Some((start, end));
            }
            3 => self.loop_range = None,
            4 => self.set_playing(frame, !self.playing),
            _ => {}
        }
    }
}
