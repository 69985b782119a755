//! What the telemetry code costs while the switch is off: the same engine callback with and
//! without the producer's `start(false)` / `finish(None)` around it, interleaved block by
//! block on two identical engines so that drift and noise hit both alike.

use super::engine_run::{Notes, schedule};
use octolane_dsp::clock::MonotonicClock;
use octolane_dsp::telemetry::telemetry_ring;
use octolane_dsp::{BlockFigures, SimdEngine, Synth};
use std::hint::black_box;
use std::time::Instant;

/// Measures `blocks` blocks of 64 dense voices at 48 kHz and prints the off path's cost.
pub fn telemetry_off_cost(blocks: usize) {
    const BLOCK: usize = 128;
    const RATE: f32 = 48_000.0;
    let events = schedule(Notes::Dense64, BLOCK, blocks);
    let engine = || {
        let mut e = SimdEngine::new(RATE);
        e.set_patch(&super::dense_patch());
        e
    };
    let (mut bare, mut wrapped) = (engine(), engine());
    let (mut producer, _consumer) = telemetry_ring(16, MonotonicClock::new());
    let (mut l, mut r) = (vec![0.0f32; BLOCK], vec![0.0f32; BLOCK]);
    let (mut bare_ns, mut wrapped_ns) = (0u128, 0u128);
    let mut ratios = Vec::with_capacity(blocks);
    for (b, events) in events.iter().enumerate() {
        let mut run_bare = |l: &mut [f32], r: &mut [f32]| {
            let t = Instant::now();
            bare.process(events, l, r);
            t.elapsed().as_nanos()
        };
        let mut run_wrapped = |l: &mut [f32], r: &mut [f32]| {
            let t = Instant::now();
            let timing = producer.start(black_box(false));
            wrapped.process(events, l, r);
            let figures = BlockFigures {
                frames: BLOCK as u32,
                sample_rate_hz: RATE,
                voices: wrapped.active_voices() as u32,
                events: events.len() as u32,
                lane_swaps: 0,
            };
            producer.finish(timing, figures);
            t.elapsed().as_nanos()
        };
        let (x, y) = if b % 2 == 0 {
            let x = run_bare(&mut l, &mut r);
            (x, run_wrapped(&mut l, &mut r))
        } else {
            let y = run_wrapped(&mut l, &mut r);
            (run_bare(&mut l, &mut r), y)
        };
        black_box(&l);
        bare_ns += x;
        wrapped_ns += y;
        ratios.push(y as f64 / x.max(1) as f64);
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!("Telemetry switched off vs no telemetry code (64 dense voices, {blocks} interleaved");
    println!("128-frame blocks each; target ≤ 0.5 %):");
    println!();
    println!(
        "- total time: {:+.2} %",
        (wrapped_ns as f64 / bare_ns as f64 - 1.0) * 100.0
    );
    println!("- median per-block ratio: {:+.2} %", (median - 1.0) * 100.0);
}
