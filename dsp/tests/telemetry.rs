//! Telemetry around a real engine callback: off reads no clock and pushes nothing, on pushes
//! one record per callback, and neither path allocates, even with a full ring.

mod common;

use assert_no_alloc::assert_no_alloc;
use common::on;
use octolane_dsp::clock::CountingClock;
use octolane_dsp::load_history::LoadHistory;
use octolane_dsp::telemetry::{BlockFigures, telemetry_ring};
use octolane_dsp::{Patch, SimdEngine, Synth};

const BLOCK: usize = 256;
const RATE: f32 = 48_000.0;

/// Runs `blocks` callbacks of an engine playing a chord, timed when `enabled`.
fn run(enabled: bool, ring: usize, blocks: usize) -> (u64, Vec<octolane_dsp::TelemetryRecord>) {
    let (mut producer, mut consumer) = telemetry_ring(ring, CountingClock::new(1_000));
    let mut engine = SimdEngine::new(RATE);
    engine.set_patch(&Patch::default());
    let chord = [on(0, 48, 0.8), on(3, 52, 0.8), on(7, 55, 0.8)];
    let (mut l, mut r) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
    for b in 0..blocks {
        let events = if b == 0 { &chord[..] } else { &[] };
        assert_no_alloc(|| {
            let start = producer.start(enabled);
            engine.process(events, &mut l, &mut r);
            producer.finish(
                start,
                BlockFigures {
                    frames: BLOCK as u32,
                    sample_rate_hz: RATE,
                    voices: engine.active_voices() as u32,
                    events: events.len() as u32,
                    lane_swaps: 0,
                },
            );
        });
    }
    let reads = producer.clock().reads();
    (reads, std::iter::from_fn(|| consumer.pop().ok()).collect())
}

#[test]
fn telemetry_off_reads_no_clock_and_pushes_nothing() {
    let (reads, records) = run(false, 64, 500);
    assert_eq!(reads, 0, "the clock was read with telemetry off");
    assert!(records.is_empty());
}

#[test]
fn telemetry_on_pushes_one_record_per_callback() {
    let (reads, records) = run(true, 1_024, 500);
    assert_eq!(reads, 1_000);
    assert_eq!(records.len(), 500);
    assert_eq!(records[0].events, 3);
    assert!(records.iter().skip(1).all(|r| r.events == 0));
    let voices = records[0].voices;
    assert!(voices >= 3, "three notes sound (unison may add lanes)");
    assert!(
        records
            .iter()
            .all(|r| r.voices == voices && r.frames == BLOCK as u32)
    );
    assert!(
        records
            .iter()
            .all(|r| r.duration_ns == 1_000 && r.dropped == 0)
    );
    let mut history = LoadHistory::default();
    records.iter().for_each(|r| history.add(r));
    let s = history.summary();
    // 1 µs of a 5.33 ms block.
    assert!((s.p50 - 1_000.0 / (BLOCK as f32 / RATE * 1e9)).abs() < 1e-6);
    assert_eq!((s.over_budget, s.voices), (0, voices));
}

#[test]
fn a_full_ring_never_blocks_the_callback() {
    let (reads, records) = run(true, 8, 100);
    assert_eq!(
        reads, 200,
        "every callback is timed even when its record is dropped"
    );
    assert_eq!(records.len(), 8);
}
