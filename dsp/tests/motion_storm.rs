//! Snapshot storm: while the engine renders, another thread sends 10,000 lane snapshots as
//! fast as it can. The allocation trap (which also traps frees) stays quiet around every
//! block, every snapshot comes back to the sender exactly once except the eight in effect at
//! the end, and those are the last one sent for each lane.

mod common;

use assert_no_alloc::assert_no_alloc;
use common::on;
use octolane_dsp::motion::{
    Curve, LANE_COUNT, LaneCurve, LanePoint, LaneSettings, LaneSnapshot, snapshot_exchange,
};
use octolane_dsp::{Patch, SimdEngine, Synth, Transport};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const SNAPSHOTS: u64 = 10_000;

fn snapshot(serial: u64) -> Box<LaneSnapshot> {
    let v = (serial % 97) as f32 / 97.0;
    Box::new(LaneSnapshot {
        lane: (serial % LANE_COUNT as u64) as usize,
        curve: LaneCurve::new(vec![
            LanePoint::new(0.0, v, Curve::Linear),
            LanePoint::new(1.0 + (serial % 3) as f64, 1.0 - v, Curve::Curved(0.3)),
        ])
        .unwrap(),
        serial,
    })
}

fn storm(ring_capacity: usize) {
    let (mut sender, receiver) = snapshot_exchange(ring_capacity);
    let mut engine = SimdEngine::new(48_000.0);
    engine.set_lane_receiver(receiver);
    let patch = Patch {
        motion: std::array::from_fn(|i| LaneSettings {
            enabled: true,
            destination: octolane_dsp::motion::Destination::ALL[i],
            depth: 0.4,
            length_beats: 2.0,
            ..LaneSettings::default()
        }),
        ..Patch::default()
    };
    engine.set_patch(&patch);

    let done = Arc::new(AtomicBool::new(false));
    let done_flag = done.clone();
    let gui = std::thread::spawn(move || {
        let mut returned = Vec::new();
        for serial in 1..=SNAPSHOTS {
            let mut s = snapshot(serial);
            loop {
                match sender.try_send(s) {
                    Ok(()) => break,
                    Err(back) => {
                        s = back;
                        while let Some(r) = sender.take_returned() {
                            returned.push(r.serial);
                        }
                        std::thread::yield_now();
                    }
                }
            }
        }
        // Everything but the eight final snapshots comes back (the eight defaults replace them
        // in the count).
        while (returned.len() as u64) < SNAPSHOTS {
            match sender.take_returned() {
                Some(r) => returned.push(r.serial),
                None => std::thread::yield_now(),
            }
        }
        done_flag.store(true, Ordering::Release);
        returned
    });

    let (mut l, mut r) = (vec![0.0f32; 64], vec![0.0f32; 64]);
    let notes = [on(0, 48, 0.8), on(0, 55, 0.8), on(3, 60, 0.8)];
    let mut blocks = 0u64;
    let mut max_held = 0;
    while !done.load(Ordering::Acquire) {
        let beat = blocks as f64 * 64.0 * 2.0 / 48_000.0;
        let events = if blocks == 0 { &notes[..] } else { &[] };
        assert_no_alloc(|| {
            engine.set_transport(&Transport {
                tempo_bpm: 120.0,
                playing: true,
                beat_position: Some(beat),
            });
            engine.process(events, &mut l, &mut r);
        });
        max_held = max_held.max(engine.motion().held());
        assert!(l.iter().chain(&r).all(|x| x.is_finite()));
        blocks += 1;
        assert!(blocks < 50_000_000, "the storm never settled");
    }
    let returned = gui.join().expect("sender thread");
    // The eight defaults (serial 0) come back once each, every other serial at most once.
    assert_eq!(returned.iter().filter(|&&s| s == 0).count(), LANE_COUNT);
    let sent_back: Vec<u64> = returned.iter().copied().filter(|&s| s != 0).collect();
    let unique: BTreeSet<u64> = sent_back.iter().copied().collect();
    assert_eq!(unique.len(), sent_back.len(), "a snapshot came back twice");
    let installed: Vec<u64> = (0..LANE_COUNT)
        .map(|i| engine.motion().snapshot(i).unwrap().serial)
        .collect();
    // The last snapshot sent for lane i has the largest serial ≡ i (mod 8).
    let last_sent: Vec<u64> = (0..LANE_COUNT as u64)
        .map(|i| (1..=SNAPSHOTS).rev().find(|s| s % 8 == i).unwrap())
        .collect();
    assert_eq!(
        installed, last_sent,
        "the last snapshot sent is not in effect"
    );
    // Returned plus in effect is every serial sent: nothing lost, nothing kept twice.
    let mut all = unique;
    for s in &installed {
        assert!(all.insert(*s), "snapshot {s} both returned and in effect");
    }
    assert_eq!(all, (1..=SNAPSHOTS).collect::<BTreeSet<u64>>());
    eprintln!("storm: {blocks} blocks, most parked at once: {max_held}");
}

#[test]
fn ten_thousand_snapshots_arrive_in_order_and_are_freed_off_the_audio_thread() {
    storm(256);
}

#[test]
fn a_tiny_ring_loses_nothing_either() {
    storm(2);
}
