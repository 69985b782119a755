//! Engine scenarios: `octolane_dsp::Engine` on a dedicated audio thread, fed through the
//! harness's parameter atomics, timed by the same telemetry producer and record the plugin
//! uses; optionally an "editor" thread storming every parameter atomic at 10 kHz.

use super::bridge::{FIELD_COUNT, ParamAtomics, values};
use super::lanes::{self, LaneTraffic, SNAPSHOT_RATE_HZ};
use octolane_dsp::clock::MonotonicClock;
use octolane_dsp::motion::{LANE_COUNT, snapshot_exchange};
use octolane_dsp::telemetry::telemetry_ring;
use octolane_dsp::{
    BlockFigures, Event, EventKind, Patch, SimdEngine, Synth, TelemetryRecord, Transport,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Parameter-atomic sweeps per second in the editor storm.
pub const STORM_RATE_HZ: f64 = 10_000.0;

/// The notes a scenario plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notes {
    /// Nothing.
    Idle,
    /// Four new notes per block, each held 16 blocks: 64 voices, constant turnover.
    Dense64,
    /// 64 notes held for `hold` blocks, then released; the rest of the run is release tail.
    Tail {
        /// Blocks the notes are held.
        hold: usize,
    },
}

/// One engine scenario.
#[derive(Clone, Debug)]
pub struct EngineScenario {
    /// Stream sample rate.
    pub sample_rate: f32,
    /// Frames per callback.
    pub block: usize,
    /// Callbacks.
    pub blocks: usize,
    /// What is played.
    pub notes: Notes,
    /// The patch (polyphony, envelopes…).
    pub patch: Patch,
    /// Whether an editor thread storms the parameter atomics meanwhile.
    pub storm: bool,
    /// Whether callbacks come at the real-time block rate (else back to back).
    pub paced: bool,
    /// Points per motion lane when all eight lanes play (the patch must enable them).
    pub lane_points: Option<usize>,
}

/// What a run measured.
pub struct EngineOutcome {
    /// One record per callback, in order.
    pub records: Vec<TelemetryRecord>,
    /// Parameter-atomic sweeps (every atomic written) per second the storm achieved.
    pub storm_sweeps_per_s: f64,
    /// Lane snapshots sent per second by the storm, and how many the full ring refused.
    pub snapshots: (f64, u64),
    /// Whether the audio thread ran under `SCHED_FIFO`.
    pub realtime: bool,
}

fn note(offset: u32, key: u8, on: bool) -> Event {
    let kind = if on {
        EventKind::NoteOn {
            key,
            velocity: 0.8,
            channel: 0,
            note_id: None,
        }
    } else {
        EventKind::NoteOff {
            key,
            channel: 0,
            note_id: None,
        }
    };
    Event { offset, kind }
}

/// The events of every block, generated before the audio thread starts.
pub(super) fn schedule(notes: Notes, block: usize, blocks: usize) -> Vec<Vec<Event>> {
    let key = |n: usize| 24 + (n * 5 % 84) as u8;
    (0..blocks)
        .map(|b| match notes {
            Notes::Idle => Vec::new(),
            Notes::Dense64 => {
                let mut events = Vec::with_capacity(8);
                for i in 0..4 {
                    let offset = (i * block / 4) as u32;
                    if b >= 16 {
                        events.push(note(offset, key((b - 16) * 4 + i), false));
                    }
                    events.push(note(offset, key(b * 4 + i), true));
                }
                events
            }
            Notes::Tail { .. } if b == 0 => (0..64).map(|i| note(0, 30 + i, true)).collect(),
            Notes::Tail { hold } if b == hold => (0..64).map(|i| note(0, 30 + i, false)).collect(),
            Notes::Tail { .. } => Vec::new(),
        })
        .collect()
}

/// Two patches differing in every continuous parameter and in every switch that does not
/// change the voice count (polyphony and unison are written but keep their values), so that
/// storming between them changes what the engine does without changing how much it renders.
fn storm_ends(base: &Patch) -> ([f32; FIELD_COUNT], [f32; FIELD_COUNT]) {
    let mut b = *base;
    b.osc1.pulse_width = 0.3;
    b.osc1.wave = octolane_dsp::Waveform::Pulse;
    b.osc1.octave = 1;
    b.osc1.semitones = 5;
    b.osc1.fine_cents = -20.0;
    b.osc1.level = 0.5;
    b.osc2.wave = octolane_dsp::Waveform::Triangle;
    b.osc2.pulse_width = 0.7;
    b.osc2.octave = -1;
    b.osc2.semitones = -3;
    b.osc2.fine_cents = 30.0;
    b.osc2.level = 0.3;
    b.noise_level = 0.2;
    b.filter.mode = octolane_dsp::FilterMode::Bp;
    b.filter.cutoff_hz = 6_000.0;
    b.filter.resonance = 0.7;
    b.filter.key_track = 1.0;
    b.filter.env_amount_oct = -2.0;
    b.filter.velocity_oct = 0.0;
    b.filter.drive = 0.6;
    b.amp_env = octolane_dsp::EnvPatch {
        attack_s: 0.01,
        decay_s: 0.2,
        sustain: 0.6,
        release_s: 0.4,
    };
    b.mod_env = b.amp_env;
    b.lfo.wave = octolane_dsp::LfoWave::Triangle;
    b.lfo.rate_hz = 6.0;
    b.lfo.sync = !base.lfo.sync;
    b.lfo.division = octolane_dsp::SyncDivision::Eighth;
    b.lfo.retrigger = !base.lfo.retrigger;
    b.lfo.to_pitch_st = 0.3;
    b.lfo.to_cutoff_oct = 1.0;
    b.lfo.to_amp = 0.2;
    b.lfo.to_pan = 0.5;
    b.voice.unison_detune_cents = 30.0;
    b.voice.unison_width = 0.2;
    b.voice.glide_s = 0.05;
    b.voice.bend_range_st = 12.0;
    b.voice.pressure_oct = -1.0;
    b.voice.velocity_sens = 0.9;
    b.voice.mod_env_pitch_st = 1.0;
    b.voice.master_gain_db = -12.0;
    (values(base), values(&b))
}

/// The editor storm: sweeps every parameter atomic `STORM_RATE_HZ` times a second until `stop`.
fn storm(
    atomics: &ParamAtomics,
    base: &Patch,
    stop: &AtomicBool,
    sweeps: &AtomicU64,
    mut lanes: Option<&mut LaneTraffic>,
) {
    let sweeps_per_snapshot = (STORM_RATE_HZ / SNAPSHOT_RATE_HZ) as u64;
    let (a, b) = storm_ends(base);
    let period = Duration::from_secs_f64(1.0 / STORM_RATE_HZ);
    let start = Instant::now();
    let mut next = start;
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        // A triangle sweep from `a` to `b` and back over 1,000 sweeps.
        let t = ((n % 2_000) as f32 / 1_000.0 - 1.0).abs();
        for i in 0..FIELD_COUNT {
            atomics.store(i, a[i] + (b[i] - a[i]) * t);
        }
        if n.is_multiple_of(sweeps_per_snapshot)
            && let Some(lanes) = lanes.as_mut()
        {
            lanes.send_next();
        }
        n += 1;
        next += period;
        let now = Instant::now();
        if next > now {
            thread::sleep(next - now);
        }
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    sweeps.store(rate.to_bits(), Ordering::Relaxed);
}

/// Runs `s` and returns its records.
pub fn run(s: &EngineScenario) -> EngineOutcome {
    let atomics = Arc::new(ParamAtomics::new(&s.patch));
    // Every record fits: nothing is dropped, and the collector may drain lazily.
    let (mut producer, mut consumer) = telemetry_ring(s.blocks + 1, MonotonicClock::new());
    let events = schedule(s.notes, s.block, s.blocks);
    let done = Arc::new(AtomicBool::new(false));
    let sweeps = Arc::new(AtomicU64::new(0));
    let scenario = s.clone();
    // The lanes' first curves and the exchange are made here, off the audio thread.
    let (sender, receiver) = snapshot_exchange(64);
    let initial: Vec<_> = match s.lane_points {
        Some(points) => (0..LANE_COUNT)
            .map(|i| lanes::snapshot(i, points, i as u64))
            .collect(),
        None => Vec::new(),
    };
    let audio_atomics = atomics.clone();
    let audio_done = done.clone();
    let audio = thread::Builder::new()
        .name("stress-audio".into())
        .spawn(move || {
            let s = scenario;
            let realtime = super::realtime::try_realtime();
            let mut engine = SimdEngine::new(s.sample_rate);
            engine.set_patch(&s.patch);
            engine.prepare(s.sample_rate);
            engine.set_lane_receiver(receiver);
            for snapshot in initial {
                engine.motion_mut().install(snapshot);
            }
            let beats_per_block = s.block as f64 / f64::from(s.sample_rate) * 2.0;
            let (mut l, mut r) = (vec![0.0f32; s.block], vec![0.0f32; s.block]);
            let period = Duration::from_secs_f64(s.block as f64 / f64::from(s.sample_rate));
            let start = Instant::now();
            for (b, events) in events.iter().enumerate() {
                if s.paced {
                    let due = start + period * b as u32;
                    let now = Instant::now();
                    if due > now {
                        thread::sleep(due - now);
                    }
                }
                let timing = producer.start(true);
                engine.set_transport(&Transport {
                    tempo_bpm: 120.0,
                    playing: true,
                    beat_position: Some(b as f64 * beats_per_block),
                });
                engine.set_patch(&audio_atomics.patch());
                engine.process(events, &mut l, &mut r);
                let figures = BlockFigures {
                    frames: s.block as u32,
                    sample_rate_hz: s.sample_rate,
                    voices: engine.active_voices() as u32,
                    events: events.len() as u32,
                    lane_swaps: engine.motion().swaps(),
                };
                producer.finish(timing, figures);
            }
            audio_done.store(true, Ordering::Release);
            realtime
        })
        .expect("spawn the audio thread");
    let points = s.lane_points;
    let editor = s.storm.then(|| {
        let (atomics, done, sweeps, base) =
            (atomics.clone(), done.clone(), sweeps.clone(), s.patch);
        thread::spawn(move || {
            let start = Instant::now();
            let mut traffic = points.map(|p| LaneTraffic::new(sender, p));
            storm(&atomics, &base, &done, &sweeps, traffic.as_mut());
            let (sent, refused) = traffic.map_or((0, 0), |t| t.counts());
            (sent as f64 / start.elapsed().as_secs_f64(), refused)
        })
    });
    let realtime = audio.join().expect("audio thread");
    let snapshots = match editor {
        Some(editor) => editor.join().expect("editor thread"),
        None => (0.0, 0),
    };
    let records: Vec<TelemetryRecord> = std::iter::from_fn(|| consumer.pop().ok()).collect();
    EngineOutcome {
        records,
        storm_sweeps_per_s: f64::from_bits(sweeps.load(Ordering::Relaxed)),
        snapshots,
        realtime,
    }
}
