//! A lane's value at every sample equals a brute-force evaluation from scratch, for random
//! lanes under random transport histories, and a short lane wraps at the exact sample of
//! every crossing even many times in one block.

mod common;
mod motion_support;

use assert_no_alloc::assert_no_alloc;
use motion_support::*;
use octolane_dsp::motion::{
    Curve, LaneCurve, LanePlayer, LanePoint, LaneSettings, SongPosition, SyncMode, beats_per_sample,
};

const RATE: f64 = 48_000.0;

/// Block sizes from 1 to 8,192 frames, small ones often.
fn block_size(rng: &mut Rng) -> u64 {
    match rng.below(4) {
        0 => 1 + rng.below(16),
        1 => 1 + rng.below(512),
        _ => 1 + rng.below(8_192),
    }
}

#[test]
fn every_sample_matches_brute_force_across_random_transport_histories() {
    let mut rng = Rng(0x0C70_1A4E);
    let mut checked = 0u64;
    for case in 0..24 {
        let length = LENGTHS[rng.below(LENGTHS.len() as u64) as usize];
        let n = match case % 4 {
            0 => 1 + rng.below(4) as usize,
            1 => 4_096,
            _ => 1 + rng.below(4_096) as usize,
        };
        // Some points past the lane end: they must be ignored.
        let curve = random_curve(&mut rng, n, (length * 1.1).min(255.0));
        let settings = LaneSettings {
            enabled: true,
            length_beats: length,
            sync: SyncMode::Transport,
            ..LaneSettings::default()
        };
        let mut host = HostTransport::new(RATE, 60.0 + rng.unit() * 200.0, rng.unit() * 50.0);
        let mut song = SongPosition::default();
        let mut player = LanePlayer::new(&curve, &settings, RATE);
        let mut got = vec![0.0f32; 8_192];
        let mut frame = 0u64;
        for _ in 0..120 {
            host.random_change(&mut rng, frame);
            let transport = host.block(frame);
            let frames = block_size(&mut rng);
            let out = &mut got[..frames as usize];
            assert_no_alloc(|| {
                song.update(&transport, frame, RATE);
                player.begin_block(&curve, &settings, &song, host.tempo, frame, RATE);
                for (k, o) in out.iter_mut().enumerate() {
                    *o = player.value_at(&curve, &song, frame + k as u64);
                }
            });
            for (k, &value) in out.iter().enumerate() {
                let at = frame + k as u64;
                let want = brute(&curve, length, host.beat_at(at));
                assert!(
                    (value - want).abs() <= 1e-6,
                    "case {case} (n {n}, length {length}): frame {at}: {value} vs {want}"
                );
            }
            checked += frames;
            frame += frames;
        }
    }
    assert!(checked > 1_000_000, "only {checked} samples checked");
}

#[test]
fn free_and_retrigger_lanes_run_at_the_tempo_from_where_they_are() {
    let mut rng = Rng(77);
    let curve = random_curve(&mut rng, 300, 2.0);
    for sync in [SyncMode::Free, SyncMode::Retrigger] {
        let settings = LaneSettings {
            enabled: true,
            length_beats: 2.0,
            sync,
            ..LaneSettings::default()
        };
        let mut song = SongPosition::default();
        let mut player = LanePlayer::new(&curve, &settings, RATE);
        // The host seeks and loops; the lane does not care. Tempo changes re-time it.
        let mut host = HostTransport::new(RATE, 100.0, 7.0);
        let mut beat = 0.0f64;
        let mut frame = 0u64;
        for block in 0..300 {
            if block % 50 == 10 {
                host.jump(frame, rng.unit() * 100.0);
            }
            if block % 70 == 30 {
                host.set_tempo(frame, 80.0 + rng.unit() * 150.0);
            }
            if sync == SyncMode::Retrigger && block == 200 {
                player.note_on(frame);
                beat = 0.0;
            }
            let transport = host.block(frame);
            song.update(&transport, frame, RATE);
            player.begin_block(&curve, &settings, &song, host.tempo, frame, RATE);
            let frames = 1 + rng.below(1_000);
            let bps = beats_per_sample(host.tempo, RATE);
            for k in 0..frames {
                let got = player.value_at(&curve, &song, frame + k);
                let want = brute(&curve, 2.0, beat + k as f64 * bps);
                assert!(
                    (got - want).abs() <= 1e-5,
                    "{sync:?} block {block}: {got} vs {want}"
                );
            }
            beat += frames as f64 * bps;
            frame += frames;
        }
    }
}

#[test]
fn a_sixteenth_beat_lane_at_300_bpm_wraps_at_every_crossing_in_one_huge_block() {
    // Rises from 0, holds 1 from half-way, drops back to 0 exactly at each lap end.
    let curve = LaneCurve::new(vec![
        LanePoint::new(0.0, 0.0, Curve::Linear),
        LanePoint::new(1.0 / 32.0, 1.0, Curve::Step),
    ])
    .unwrap();
    let length = 1.0 / 16.0;
    let settings = LaneSettings {
        enabled: true,
        length_beats: length,
        sync: SyncMode::Transport,
        ..LaneSettings::default()
    };
    let mut host = HostTransport::new(RATE, 300.0, 3.0 + 1.0 / 64.0);
    let mut song = SongPosition::default();
    let mut player = LanePlayer::new(&curve, &settings, RATE);
    let mut values = vec![0.0f32; 8_192];
    let transport = host.block(0);
    assert_no_alloc(|| {
        song.update(&transport, 0, RATE);
        player.begin_block(&curve, &settings, &song, 300.0, 0, RATE);
        for (k, v) in values.iter_mut().enumerate() {
            *v = player.value_at(&curve, &song, k as u64);
        }
    });
    // Where the song position crosses a multiple of the lane length, sample by sample.
    let lap = |k: u64| (host.beat_at(k) / length).floor();
    let expected: Vec<usize> = (1..8_192u64)
        .filter(|&k| lap(k) != lap(k - 1))
        .map(|k| k as usize)
        .collect();
    let drops: Vec<usize> = (1..8_192)
        .filter(|&k| values[k] < values[k - 1] - 0.5)
        .collect();
    assert!(expected.len() >= 13, "only {} crossings", expected.len());
    assert_eq!(drops, expected, "wraps not at the crossing samples");
    for (k, &v) in values.iter().enumerate() {
        let want = brute(&curve, length, host.beat_at(k as u64));
        assert!((v - want).abs() <= 1e-6, "sample {k}: {v} vs {want}");
    }
}
