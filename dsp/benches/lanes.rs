//! Motion-lane cost against point count: 8 lanes × 4 points against 8 lanes × 4,096 points,
//! over the same 512-frame blocks at 48 kHz and 120 BPM with the transport rolling.
//!
//! Two measurements: the lanes alone, evaluated at every sample (the cursor's own cost), and
//! the whole engine (8 voices, every lane enabled, evaluated at each control tick). Criterion
//! measures both; a summary pass prints the 4,096 ÷ 4 ratio as `OCTOLANE:` lines (collected by
//! `cargo xtask bench`). The target is ≤ 1.1×.

use criterion::Criterion;
use octolane_dsp::motion::{
    Curve, Destination, LANE_COUNT, LaneCurve, LanePlayer, LanePoint, LaneSettings, LaneSnapshot,
    SongPosition,
};
use octolane_dsp::{Event, EventKind, Patch, SimdEngine, Synth, Transport};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SAMPLE_RATE: f64 = 48_000.0;
const BLOCK: usize = 512;
const TEMPO: f64 = 120.0;
/// Lanes are four bars long.
const LENGTH_BEATS: f64 = 16.0;

fn curve(points: usize) -> LaneCurve {
    let mut seed = 0x2545_F491u32;
    let pts = (0..points)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let beat = i as f64 * LENGTH_BEATS / points as f64;
            LanePoint::new(beat, (seed % 1_000) as f32 / 1_000.0, Curve::Linear)
        })
        .collect();
    LaneCurve::new(pts).expect("valid bench curve")
}

fn settings(i: usize) -> LaneSettings {
    LaneSettings {
        enabled: true,
        destination: Destination::ALL[i % Destination::ALL.len()],
        depth: 0.3,
        length_beats: LENGTH_BEATS,
        ..LaneSettings::default()
    }
}

/// Eight lanes evaluated at every sample, block after block.
struct LaneRig {
    curves: Vec<LaneCurve>,
    players: Vec<LanePlayer>,
    song: SongPosition,
    clock: u64,
    out: Vec<f32>,
}

impl LaneRig {
    fn new(points: usize) -> Self {
        let curves: Vec<LaneCurve> = (0..LANE_COUNT).map(|_| curve(points)).collect();
        let players = (0..LANE_COUNT)
            .map(|i| LanePlayer::new(&curves[i], &settings(i), SAMPLE_RATE))
            .collect();
        Self {
            curves,
            players,
            song: SongPosition::default(),
            clock: 0,
            out: vec![0.0; BLOCK],
        }
    }

    fn block(&mut self) {
        let beat = self.clock as f64 * TEMPO / 60.0 / SAMPLE_RATE;
        let transport = Transport {
            tempo_bpm: TEMPO,
            playing: true,
            beat_position: Some(beat),
        };
        self.song.update(&transport, self.clock, SAMPLE_RATE);
        for (i, p) in self.players.iter_mut().enumerate() {
            let c = &self.curves[i];
            p.begin_block(c, &settings(i), &self.song, TEMPO, self.clock, SAMPLE_RATE);
            for (k, o) in self.out.iter_mut().enumerate() {
                *o += p.value_at(c, &self.song, self.clock + k as u64);
            }
        }
        self.clock += BLOCK as u64;
        black_box(&self.out);
    }
}

/// The SIMD engine with 8 voices held and all 8 lanes on `points`-point curves.
struct EngineRig {
    engine: SimdEngine,
    clock: u64,
    left: Vec<f32>,
    right: Vec<f32>,
}

impl EngineRig {
    fn new(points: usize) -> Self {
        let mut engine = SimdEngine::new(SAMPLE_RATE as f32);
        let mut patch = Patch::default();
        patch.voice.unison = 1;
        patch.motion = std::array::from_fn(settings);
        engine.set_patch(&patch);
        for lane in 0..LANE_COUNT {
            engine.motion_mut().install(Box::new(LaneSnapshot {
                lane,
                curve: curve(points),
                serial: 1,
            }));
        }
        let notes: Vec<Event> = (0..8)
            .map(|i| Event {
                offset: 0,
                kind: EventKind::NoteOn {
                    key: 48 + 3 * i as u8,
                    velocity: 0.8,
                    channel: 0,
                    note_id: None,
                },
            })
            .collect();
        let mut rig = Self {
            engine,
            clock: 0,
            left: vec![0.0; BLOCK],
            right: vec![0.0; BLOCK],
        };
        rig.block(&notes);
        rig
    }

    fn block(&mut self, events: &[Event]) {
        let beat = self.clock as f64 * TEMPO / 60.0 / SAMPLE_RATE;
        self.engine.set_transport(&Transport {
            tempo_bpm: TEMPO,
            playing: true,
            beat_position: Some(beat),
        });
        self.engine.process(events, &mut self.left, &mut self.right);
        self.clock += BLOCK as u64;
        black_box(&self.left);
    }
}

/// Median block time of `run` over at least `budget`.
fn median(budget: Duration, mut run: impl FnMut()) -> f64 {
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || samples.len() < 50 {
        let t = Instant::now();
        run();
        samples.push(t.elapsed().as_secs_f64());
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[samples.len() / 2]
}

fn criterion_cases(c: &mut Criterion) {
    let mut group = c.benchmark_group("motion_lanes_block_512");
    for points in [4, 4_096] {
        group.bench_function(format!("lanes_per_sample/{points}"), |b| {
            let mut rig = LaneRig::new(points);
            b.iter(|| rig.block());
        });
        group.bench_function(format!("engine_8_voices/{points}"), |b| {
            let mut rig = EngineRig::new(points);
            b.iter(|| rig.block(&[]));
        });
    }
    group.finish();
}

fn summary() {
    // Interleave the cases so drift on a shared machine hits both alike.
    let (mut few, mut many) = (LaneRig::new(4), LaneRig::new(4_096));
    let (mut lane_4, mut lane_4096) = (Vec::new(), Vec::new());
    let (mut e_few, mut e_many) = (EngineRig::new(4), EngineRig::new(4_096));
    let (mut eng_4, mut eng_4096) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        lane_4.push(median(Duration::from_millis(300), || few.block()));
        lane_4096.push(median(Duration::from_millis(300), || many.block()));
        eng_4.push(median(Duration::from_millis(300), || e_few.block(&[])));
        eng_4096.push(median(Duration::from_millis(300), || e_many.block(&[])));
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let (l4, l4096) = (best(&lane_4), best(&lane_4096));
    let (e4, e4096) = (best(&eng_4), best(&eng_4096));
    println!(
        "OCTOLANE: | motion lanes 4 vs 4,096 points | {:.2}× |",
        l4096 / l4
    );
    println!(
        "OCTOLANE: | motion lanes, per-sample evaluation of 8 lanes (ns/lane-sample) | {:.2} vs {:.2} |",
        l4 / (BLOCK * LANE_COUNT) as f64 * 1e9,
        l4096 / (BLOCK * LANE_COUNT) as f64 * 1e9
    );
    println!(
        "OCTOLANE: | motion lanes 4 vs 4,096 points, engine block with 8 voices | {:.2}× |",
        e4096 / e4
    );
}

fn main() {
    if std::env::var_os("OCTOLANE_SUMMARY_ONLY").is_some() {
        summary();
        return;
    }
    let mut c = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(300));
    criterion_cases(&mut c);
    c.final_summary();
    summary();
}
