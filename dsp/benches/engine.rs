//! Engine throughput: the SIMD engine against the scalar reference, 512-frame blocks at
//! 48 kHz with 8 … 1,024 sounding voices. Criterion measures each case; a summary pass then
//! prints ns per voice-sample, the real-time voice capacity and the SIMD ÷ scalar speedup as
//! `OCTOLANE:` lines (collected by `cargo xtask bench`), timing the engines in alternating
//! turns so that all see the same clock. The SIMD engine runs on the path the CPU allows
//! (`SimdPath::detect`); where that is the run-time AVX2 choice, the build's own `f32x8`
//! path is timed in the same turns and gets a table of its own. With
//! `OCTOLANE_TRACE_SECONDS` it prints instead a trace of the SIMD engine's and the
//! reference's block times, half a second per line, for hosts whose speed changes (with
//! `OCTOLANE_MOVING_LEVELS`, while both oscillators' levels move every block).

use criterion::{BenchmarkId, Criterion, Throughput};
use octolane_dsp::{
    Event, EventKind, FilterMode, LfoWave, Patch, ScalarEngine, SimdEngine, SimdPath, Synth,
    Waveform,
};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SAMPLE_RATE: f32 = 48_000.0;
const BLOCK: usize = 512;
const VOICE_COUNTS: [usize; 4] = [8, 64, 256, 1_024];

/// The benchmark voice: saw + pulse, noise, LP24 with drive, both envelopes sustaining,
/// LFO → cutoff, unison 1.
fn bench_patch() -> Patch {
    let mut p = Patch::default();
    p.osc1.wave = Waveform::Saw;
    p.osc2.wave = Waveform::Pulse;
    p.osc2.pulse_width = 0.35;
    p.noise_level = 0.1;
    p.filter.mode = FilterMode::Lp24;
    p.filter.drive = 0.4;
    p.lfo.wave = LfoWave::Sine;
    p.lfo.rate_hz = 3.0;
    p.lfo.to_cutoff_oct = 1.0;
    p.voice.unison = 1;
    p.voice.polyphony = 1_024;
    p.amp_env.attack_s = 0.001;
    p.mod_env.attack_s = 0.001;
    p
}

/// An engine with `voices` notes held and past their attacks. The notes start at staggered
/// offsets of the first block, as a player starts them: started together, the twins of each
/// key would run in lockstep, and the branch predictor would learn their edges.
fn warmed<E: Synth>(mut engine: E, voices: usize) -> (E, Vec<f32>, Vec<f32>) {
    engine.set_patch(&bench_patch());
    let mut events: Vec<Event> = (0..voices)
        .map(|i| Event {
            offset: ((i * 97) % BLOCK) as u32,
            kind: EventKind::NoteOn {
                key: 36 + (i % 48) as u8,
                velocity: 0.8,
                channel: 0,
                note_id: None,
            },
        })
        .collect();
    events.sort_by_key(|e| e.offset);
    let (mut l, mut r) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
    engine.process(&events, &mut l, &mut r);
    for _ in 0..200 {
        engine.process(&[], &mut l, &mut r);
    }
    assert_eq!(engine.active_voices(), voices);
    (engine, l, r)
}

fn block_time(engine: impl Synth, voices: usize, budget: Duration) -> f64 {
    let (mut engine, mut l, mut r) = warmed(engine, voices);
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || samples.len() < 20 {
        time_block(&mut engine, &mut l, &mut r, &mut samples);
    }
    median(&mut samples)
}

/// Time one block of `engine` into `samples`.
fn time_block(
    engine: &mut (impl Synth + ?Sized),
    l: &mut [f32],
    r: &mut [f32],
    samples: &mut Vec<f64>,
) {
    let t = Instant::now();
    engine.process(&[], l, r);
    samples.push(t.elapsed().as_secs_f64());
    black_box(&l);
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[samples.len() / 2]
}

/// The time below which the fastest fraction `f` of `samples` lies (sorted in place). On a
/// shared host whose speed changes, the fastest blocks are the ones it ran at full speed.
fn fastest(samples: &mut [f64], f: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[((samples.len() - 1) as f64 * f) as usize]
}

/// An engine warmed for the bench, with its output buffers.
struct Warm {
    engine: Box<dyn Synth>,
    l: Vec<f32>,
    r: Vec<f32>,
}

impl Warm {
    fn new<E: Synth + 'static>(engine: E, voices: usize) -> Self {
        let (engine, l, r) = warmed(engine, voices);
        Self {
            engine: Box::new(engine),
            l,
            r,
        }
    }

    fn time(&mut self, samples: &mut Vec<f64>) {
        time_block(self.engine.as_mut(), &mut self.l, &mut self.r, samples);
    }
}

/// The SIMD engine on the path `OCTOLANE_SIMD_PATH` names (`portable` or `avx2`), else on
/// the one the CPU allows.
fn simd_engine() -> SimdEngine {
    let path = match std::env::var("OCTOLANE_SIMD_PATH").as_deref() {
        Ok("portable") => SimdPath::Portable,
        Ok("avx2") => SimdPath::Avx2,
        _ => SimdPath::detect(),
    };
    SimdEngine::on_path(SAMPLE_RATE, path).expect("this CPU runs the SIMD path asked for")
}

/// Block times of `engines`, measured in turns of about 20 ms each for `budget` in all. A
/// shared machine's clock drifts by several per cent over seconds; taking turns lets every
/// engine see the same drift, so their ratios do not move with it. The first block of each
/// turn runs on caches another engine has used and is not counted.
fn block_times(engines: &mut [Warm], budget: Duration) -> Vec<Vec<f64>> {
    let mut times = vec![Vec::new(); engines.len()];
    let turn = Duration::from_millis(20);
    let start = Instant::now();
    while start.elapsed() < budget || times.iter().any(|t| t.len() < 20) {
        for (warm, times) in engines.iter_mut().zip(&mut times) {
            warm.time(&mut Vec::new());
            let t = Instant::now();
            while t.elapsed() < turn {
                warm.time(times);
            }
        }
    }
    times
}

/// A trace of both engines' block times for `seconds`, for telling the engines' ratio apart
/// from a shared host's changes of speed. Blocks are interleaved finely and balanced in time
/// (after a scalar block, SIMD blocks until they have taken as long), so every stretch of the
/// run holds both engines; each half second prints the median block time of each and their
/// ratio, then the whole run its quantiles. A window whose host changed speed within it
/// shows a ratio apart from its neighbours.
fn trace(voices: usize, seconds: f64) {
    let (mut simd, mut simd_l, mut simd_r) = warmed(simd_engine(), voices);
    let (mut scalar, mut scalar_l, mut scalar_r) = warmed(ScalarEngine::new(SAMPLE_RATE), voices);
    // With `OCTOLANE_MOVING_LEVELS`, both oscillators' levels move before every block (set
    // outside the timed part), as under a knob or automation: the source levels then ramp
    // through every run.
    let moving = std::env::var_os("OCTOLANE_MOVING_LEVELS").is_some();
    let mut blocks = [0usize; 2];
    let mut move_levels = |engine: &mut dyn Synth, which: usize| {
        if moving {
            let mut patch = bench_patch();
            let up = blocks[which].is_multiple_of(2);
            (patch.osc1.level, patch.osc2.level) = if up { (0.7, 0.4) } else { (0.5, 0.6) };
            engine.set_patch(&patch);
            blocks[which] += 1;
        }
    };
    let start = Instant::now();
    let mut windows: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    while start.elapsed().as_secs_f64() < seconds {
        let window = (start.elapsed().as_secs_f64() * 2.0) as usize;
        if windows.len() <= window {
            windows.resize_with(window + 1, Default::default);
        }
        let (simd_times, scalar_times) = &mut windows[window];
        move_levels(&mut scalar, 0);
        time_block(&mut scalar, &mut scalar_l, &mut scalar_r, scalar_times);
        let owed = *scalar_times.last().unwrap_or(&0.0);
        // The first SIMD block after a scalar one runs on caches the scalar engine used; the
        // medians and the fastest blocks below pass over it.
        let mut spent = 0.0;
        while spent < owed {
            move_levels(&mut simd, 1);
            time_block(&mut simd, &mut simd_l, &mut simd_r, simd_times);
            spent += simd_times.last().map_or(owed, |t| t.max(1e-9));
        }
    }
    let us = |t: f64| t * 1e6;
    println!("OCTOLANE: | window (s) | SIMD µs/block | scalar µs/block | ratio |");
    println!("OCTOLANE: |---:|---:|---:|---:|");
    let (mut all_simd, mut all_scalar, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (simd_times, scalar_times)) in windows.iter_mut().enumerate() {
        // A window that a single long block spanned holds nothing of its own.
        if simd_times.is_empty() || scalar_times.is_empty() {
            continue;
        }
        all_simd.extend_from_slice(simd_times);
        all_scalar.extend_from_slice(scalar_times);
        let (a, b) = (median(simd_times), median(scalar_times));
        ratios.push(b / a);
        let at = i as f64 / 2.0;
        println!(
            "OCTOLANE: | {at:.1} | {:.2} | {:.2} | {:.3} |",
            us(a),
            us(b),
            b / a
        );
    }
    if ratios.is_empty() {
        return;
    }
    // The fastest blocks of each engine ran while the host gave the core its full speed.
    for f in [0.01, 0.05] {
        let (a, b) = (fastest(&mut all_simd, f), fastest(&mut all_scalar, f));
        println!(
            "OCTOLANE: | fastest {f} | {:.2} | {:.2} | {:.3} |",
            us(a),
            us(b),
            b / a
        );
    }
    println!(
        "OCTOLANE: | median of the windows | | | {:.3} |",
        median(&mut ratios)
    );
}

fn run_blocks(engine: impl Synth, voices: usize, blocks: usize) {
    let (mut engine, mut l, mut r) = warmed(engine, voices);
    for _ in 0..blocks {
        engine.process(&[], &mut l, &mut r);
        black_box(&l);
    }
}

fn criterion_cases(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine_block_512");
    for voices in VOICE_COUNTS {
        group.throughput(Throughput::Elements((voices * BLOCK) as u64));
        group.bench_with_input(BenchmarkId::new("simd", voices), &voices, |b, &v| {
            let (mut e, mut l, mut r) = warmed(simd_engine(), v);
            b.iter(|| e.process(&[], &mut l, &mut r));
        });
        group.bench_with_input(BenchmarkId::new("scalar", voices), &voices, |b, &v| {
            let (mut e, mut l, mut r) = warmed(ScalarEngine::new(SAMPLE_RATE), v);
            b.iter(|| e.process(&[], &mut l, &mut r));
        });
    }
    group.finish();
}

/// The summary tables, one per SIMD path timed. The median columns are what the core gave
/// over the run; the fastest 5 % of each engine's blocks are what it gives at full speed,
/// which a shared host whose speed changes grants only part of the time (both readings are
/// printed, never one for the other).
fn summary() {
    let block_s = BLOCK as f64 / SAMPLE_RATE as f64;
    let mut paths = vec![SimdPath::detect()];
    if paths[0] != SimdPath::Portable {
        paths.push(SimdPath::Portable);
    }
    let mut rows = vec![Vec::new(); paths.len()];
    for voices in VOICE_COUNTS {
        let mut engines: Vec<Warm> = paths
            .iter()
            .map(|&path| Warm::new(SimdEngine::on_path(SAMPLE_RATE, path).unwrap(), voices))
            .collect();
        engines.push(Warm::new(ScalarEngine::new(SAMPLE_RATE), voices));
        let budget = Duration::from_millis(1_500 * engines.len() as u64);
        let mut times = block_times(&mut engines, budget);
        let mut scalar_times = times.pop().unwrap_or_default();
        let scalar = median(&mut scalar_times);
        let scalar_fast = fastest(&mut scalar_times, 0.05);
        let per = |t: f64| t / (voices * BLOCK) as f64 * 1e9;
        let capacity = |t: f64| block_s / (t / voices as f64);
        for (rows, mut simd_times) in rows.iter_mut().zip(times) {
            let simd = median(&mut simd_times);
            let simd_fast = fastest(&mut simd_times, 0.05);
            rows.push(format!(
                "OCTOLANE: | {voices} | {:.2} | {:.2} | {:.0} | {:.0} | {:.2}× | {:.0} | {:.2}× |",
                per(simd),
                per(scalar),
                capacity(simd),
                capacity(scalar),
                scalar / simd,
                capacity(simd_fast),
                scalar_fast / simd_fast
            ));
        }
    }
    for (path, rows) in paths.iter().zip(rows) {
        println!("OCTOLANE: SIMD engine on {}", path.name());
        println!(
            "OCTOLANE: | voices | SIMD ns/voice-sample | scalar ns/voice-sample | SIMD capacity (voices) | scalar capacity | speedup | SIMD capacity, fastest 5 % | speedup, fastest 5 % |"
        );
        println!("OCTOLANE: |---:|---:|---:|---:|---:|---:|---:|---:|");
        for row in rows {
            println!("{row}");
        }
    }
}

fn main() {
    let profile_voices = || {
        std::env::var("OCTOLANE_PROFILE_VOICES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1_024)
    };
    // A fixed number of blocks after the warm-up, for instruction counts under
    // `valgrind --tool=callgrind` (run it twice with different counts and subtract).
    if let Some(blocks) = std::env::var("OCTOLANE_COUNT_BLOCKS")
        .ok()
        .and_then(|b| b.parse().ok())
    {
        let scalar = std::env::var_os("OCTOLANE_PROFILE_SCALAR").is_some();
        if scalar {
            run_blocks(ScalarEngine::new(SAMPLE_RATE), profile_voices(), blocks);
        } else {
            run_blocks(simd_engine(), profile_voices(), blocks);
        }
        return;
    }
    // Block times of both engines over time (`OCTOLANE_TRACE_SECONDS`, voices as above).
    if let Some(seconds) = std::env::var("OCTOLANE_TRACE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        trace(profile_voices(), seconds);
        return;
    }
    // Steady single-engine loads for `perf record` (`OCTOLANE_PROFILE_VOICES`, default 1,024).
    if std::env::var_os("OCTOLANE_PROFILE_SIMD").is_some() {
        black_box(block_time(
            simd_engine(),
            profile_voices(),
            Duration::from_secs(8),
        ));
        return;
    }
    if std::env::var_os("OCTOLANE_PROFILE_SCALAR").is_some() {
        black_box(block_time(
            ScalarEngine::new(SAMPLE_RATE),
            profile_voices(),
            Duration::from_secs(8),
        ));
        return;
    }
    if std::env::var_os("OCTOLANE_SUMMARY_ONLY").is_some() {
        summary();
        return;
    }
    let mut c = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    criterion_cases(&mut c);
    c.final_summary();
    summary();
}
