//! Motion lanes inside the engine: a cutoff lane changes the sound in time with the
//! transport, lanes keep renders bit-identical for any block split and the SIMD engine equal
//! to the scalar reference, and Retrigger lanes restart on a note-on with no key held.

mod common;

use assert_no_alloc::assert_no_alloc;
use common::{note_off, note_on, rms};
use octolane_dsp::motion::{
    Curve, Destination, LANE_COUNT, LaneCurve, LanePoint, LaneSettings, LaneSnapshot, SyncMode,
    beats_per_sample,
};
use octolane_dsp::{EventKind, Patch, ScalarEngine, SimdEngine, Synth, Transport};

const RATE: f32 = 48_000.0;

fn ramp() -> LaneCurve {
    LaneCurve::new(vec![
        LanePoint::new(0.0, 0.0, Curve::Curved(0.4)),
        LanePoint::new(2.0, 1.0, Curve::Linear),
        LanePoint::new(3.0, 0.3, Curve::Step),
    ])
    .unwrap()
}

fn lanes_patch(sync: SyncMode) -> Patch {
    let mut p = Patch::default();
    p.filter.cutoff_hz = 300.0;
    p.lfo.to_cutoff_oct = 0.5;
    p.motion = std::array::from_fn(|i| LaneSettings {
        enabled: true,
        destination: Destination::ALL[i],
        depth: if i % 2 == 0 { 0.8 } else { -0.6 },
        length_beats: [1.0, 2.0, 4.0, 0.5][i % 4],
        sync,
    });
    p
}

/// Renders with a rolling 120 BPM transport reported at every block start.
fn render<E: Synth>(
    patch: &Patch,
    events: &[(u64, EventKind)],
    frames: usize,
    blocks: &[usize],
) -> (Vec<f32>, Vec<f32>) {
    let mut engine = E::new(RATE);
    for lane in 0..LANE_COUNT {
        engine.motion_mut().install(Box::new(LaneSnapshot {
            lane,
            curve: ramp(),
            serial: 1,
        }));
    }
    let bps = beats_per_sample(120.0, f64::from(RATE));
    let (mut left, mut right) = (vec![0.0; frames], vec![0.0; frames]);
    let mut block_events = Vec::with_capacity(events.len());
    let (mut pos, mut next, mut b) = (0, 0, 0);
    while pos < frames {
        let len = blocks[b % blocks.len()].clamp(1, frames - pos);
        b += 1;
        block_events.clear();
        while next < events.len() && (events[next].0 as usize) < pos + len {
            let offset = (events[next].0 as usize - pos) as u32;
            block_events.push(octolane_dsp::Event {
                offset,
                kind: events[next].1,
            });
            next += 1;
        }
        let transport = Transport {
            tempo_bpm: 120.0,
            playing: true,
            beat_position: Some(pos as f64 * bps),
        };
        let (l, r) = (&mut left[pos..pos + len], &mut right[pos..pos + len]);
        assert_no_alloc(|| {
            engine.set_patch(patch);
            engine.set_transport(&transport);
            engine.process(&block_events, l, r);
        });
        pos += len;
    }
    (left, right)
}

fn chord() -> Vec<(u64, EventKind)> {
    let mut ev = vec![
        note_on(0, 48, 0.9),
        note_on(5, 55, 0.7),
        note_on(30_000, 60, 0.8),
        note_off(70_000, 48),
    ];
    ev.sort_by_key(|e| e.0);
    ev
}

#[test]
fn lanes_keep_renders_identical_for_every_block_split() {
    for sync in [SyncMode::Transport, SyncMode::Free, SyncMode::Retrigger] {
        let patch = lanes_patch(sync);
        let reference = render::<SimdEngine>(&patch, &chord(), 96_000, &[512]);
        assert!(rms(&reference.0) > 1e-3);
        for blocks in [&[1usize][..], &[7], &[4_096], &[3, 16_384, 100, 1, 64]] {
            let got = render::<SimdEngine>(&patch, &chord(), 96_000, blocks);
            let same = got
                .0
                .iter()
                .zip(&reference.0)
                .all(|(a, b)| a.to_bits() == b.to_bits())
                && got
                    .1
                    .iter()
                    .zip(&reference.1)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{sync:?}: blocks {blocks:?} render differently");
        }
    }
}

#[test]
fn lanes_keep_the_simd_engine_equal_to_the_scalar_reference() {
    let patch = lanes_patch(SyncMode::Transport);
    let (sl, sr) = render::<SimdEngine>(&patch, &chord(), 96_000, &[512]);
    let (rl, rr) = render::<ScalarEngine>(&patch, &chord(), 96_000, &[512]);
    let diff: Vec<f32> = sl
        .iter()
        .zip(&rl)
        .chain(sr.iter().zip(&rr))
        .map(|(a, b)| a - b)
        .collect();
    let db = 20.0 * (rms(&diff) / rms(&rl).max(rms(&rr))).log10();
    assert!(rms(&diff) == 0.0 || db <= -120.0, "difference {db:.1} dB");
}

#[test]
fn a_cutoff_lane_brightens_the_sound_where_its_curve_is_high() {
    let mut patch = Patch::default();
    patch.filter.cutoff_hz = 200.0;
    patch.filter.env_amount_oct = 0.0;
    patch.filter.velocity_oct = 0.0;
    patch.lfo.to_cutoff_oct = 0.0;
    patch.motion[0] = LaneSettings {
        enabled: true,
        destination: Destination::Cutoff,
        depth: 1.0,
        length_beats: 4.0,
        sync: SyncMode::Transport,
    };
    let held = vec![note_on(0, 45, 0.9)];
    let (lit, _) = render::<SimdEngine>(&patch, &held, 96_000, &[256]);
    patch.motion[0].enabled = false;
    let (dark, _) = render::<SimdEngine>(&patch, &held, 96_000, &[256]);
    // Beat 2 (the ramp's top, 1 s in) is far brighter with the lane; beat 0.1 is about equal.
    let slope = |x: &[f32]| rms(&x.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>());
    let top = 48_000 - 2_000..48_000 + 2_000;
    let (a, b) = (slope(&lit[top.clone()]), slope(&dark[top.clone()]));
    assert!(a > 4.0 * b, "top: {a} vs {b}");
    let start = 1_000..3_000;
    let (a, b) = (slope(&lit[start.clone()]), slope(&dark[start]));
    assert!(a < 1.6 * b, "start: {a} vs {b}");
}

#[test]
fn retrigger_lanes_restart_only_when_no_other_key_is_held() {
    let mut patch = Patch::default();
    patch.motion[0] = LaneSettings {
        enabled: true,
        sync: SyncMode::Retrigger,
        length_beats: 4.0,
        ..LaneSettings::default()
    };
    let mut engine = SimdEngine::new(RATE);
    engine.set_patch(&patch);
    let (mut l, mut r) = (vec![0.0; 1_000], vec![0.0; 1_000]);
    for _ in 0..30 {
        engine.process(&[], &mut l, &mut r);
    }
    let before = engine.motion().player(0).unwrap().lap_fraction();
    assert!(before > 0.05, "the free clock did not run ({before})");
    engine.process(&[common::on(984, 60, 0.8)], &mut l, &mut r);
    let after = engine.motion().player(0).unwrap().lap_fraction();
    assert!(after < 1e-3, "not restarted: {after}");
    for _ in 0..10 {
        engine.process(&[], &mut l, &mut r);
    }
    engine.process(&[common::on(984, 64, 0.8)], &mut l, &mut r);
    let held = engine.motion().player(0).unwrap().lap_fraction();
    assert!(held > 0.05, "restarted although a key was held ({held})");
}
