//! Cursor cost and correctness: steady playback costs one step per segment crossed (plus at
//! most one), a jump at most ⌈log₂ n⌉ + 2 comparisons, and every value equals a brute-force
//! evaluation.

use super::*;
use crate::motion::lane::{Curve, LanePoint};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn random_curve(rng: &mut Rng, n: usize, span: f64) -> LaneCurve {
    let mut points: Vec<LanePoint> = (0..n)
        .map(|i| {
            let curve = match i % 3 {
                0 => Curve::Step,
                1 => Curve::Linear,
                _ => Curve::Curved((rng.unit() * 2.0 - 1.0) as f32),
            };
            LanePoint::new(rng.unit() * span, rng.unit() as f32, curve)
        })
        .collect();
    points.sort_by(|a, b| a.beat.total_cmp(&b.beat));
    LaneCurve::new(points).unwrap()
}

use crate::motion::reference::value_from_scratch as brute;

/// Boundaries (lap ends and active points) in the half-open beat range `(from, to]`.
fn crossings(curve: &LaneCurve, length: f64, from: f64, to: f64) -> u64 {
    let laps = (to / length).floor() - (from / length).floor();
    let points: f64 = curve
        .points()
        .iter()
        .filter(|p| p.beat < length)
        .map(|p| ((to - p.beat) / length).floor() - ((from - p.beat) / length).floor())
        .sum();
    (laps + points) as u64
}

#[test]
fn steady_playback_costs_one_step_per_crossing() {
    let mut rng = Rng(0x1234_5678);
    for &(n, length, bpm) in &[
        (4, 4.0, 120.0),
        (4_096, 16.0, 120.0),
        (4_096, 256.0, 174.0),
        (64, 0.25, 300.0),
        (1, 1.0, 90.0),
    ] {
        let curve = random_curve(&mut rng, n, length);
        let mut cursor = LaneCursor::new(&curve, length);
        let bps = bpm / 60.0 / 48_000.0;
        let start = rng.unit() * 100.0;
        let mut last = start;
        cursor.value_at(&curve, start);
        let mut clock = 1u64;
        for block in 0..200 {
            let frames = 1 + (rng.next() % 2_048);
            let (steps0, seeks0) = (cursor.steps, cursor.seeks);
            for _ in 0..frames {
                let beat = start + clock as f64 * bps;
                let got = cursor.value_at(&curve, beat);
                let want = brute(&curve, length, beat);
                assert!(
                    (got - want).abs() <= 1e-6,
                    "n {n} block {block}: {got} vs {want}"
                );
                last = beat;
                clock += 1;
            }
            let first = start + (clock - frames) as f64 * bps;
            let crossed = crossings(&curve, length, first - bps, last);
            let steps = cursor.steps - steps0;
            assert_eq!(cursor.seeks, seeks0, "steady playback seeked (n {n})");
            assert!(
                steps <= crossed + 1,
                "n {n}: {steps} steps for {crossed} crossings in {frames} frames"
            );
        }
    }
}

#[test]
fn a_jump_costs_at_most_log2_n_plus_2_comparisons() {
    let mut rng = Rng(0xDEAD_BEEF);
    for n in [1, 2, 3, 4, 5, 100, 1_000, 4_095, 4_096] {
        let length = 64.0;
        let curve = random_curve(&mut rng, n, length);
        let mut cursor = LaneCursor::new(&curve, length);
        let bound = ceil_log2(n) as u64 + 2;
        let mut beat = 10.0;
        for _ in 0..500 {
            // Backwards (a seek or a host loop) or more than a lap ahead: each is a jump.
            beat = match rng.next() % 3 {
                0 => beat - rng.unit() * 30.0 - 1e-3,
                1 => beat + length * (2.0 + rng.unit() * 100.0),
                _ => beat - length * rng.unit() * 50.0,
            };
            let (c0, s0, k0) = (cursor.comparisons, cursor.steps, cursor.seeks);
            let got = cursor.value_at(&curve, beat);
            assert!((got - brute(&curve, length, beat)).abs() <= 1e-6);
            // A move back inside the same segment needs no search; anything else is one.
            assert!(cursor.seeks <= k0 + 1);
            assert_eq!(cursor.steps, s0, "a jump stepped");
            let cost = cursor.comparisons - c0;
            assert!(cost <= bound, "n {n}: {cost} comparisons > {bound}");
        }
    }
}

#[test]
fn fast_forward_within_a_lap_never_walks_far() {
    // 4,096 points over one beat, then a forward move of half a lap: a search, not 2,000 steps.
    let points: Vec<LanePoint> = (0..4_096)
        .map(|i| LanePoint::new(i as f64 / 4_096.0, (i % 2) as f32, Curve::Linear))
        .collect();
    let curve = LaneCurve::new(points).unwrap();
    let mut cursor = LaneCursor::new(&curve, 1.0);
    cursor.value_at(&curve, 0.001);
    let steps = cursor.steps;
    let got = cursor.value_at(&curve, 0.6);
    assert!((got - brute(&curve, 1.0, 0.6)).abs() <= 1e-6);
    assert!(cursor.steps - steps <= ceil_log2(4_096) as u64 + 2);
}

#[test]
fn points_beyond_the_length_are_ignored_until_it_grows() {
    let curve = LaneCurve::new(vec![
        LanePoint::new(0.0, 0.0, Curve::Linear),
        LanePoint::new(1.0, 1.0, Curve::Linear),
        LanePoint::new(6.0, 0.5, Curve::Step),
    ])
    .unwrap();
    let mut cursor = LaneCursor::new(&curve, 4.0);
    for i in 0..400 {
        let beat = i as f64 * 0.037;
        assert!((cursor.value_at(&curve, beat) - brute(&curve, 4.0, beat)).abs() <= 1e-6);
    }
    cursor.reset(&curve, 8.0);
    for i in 0..400 {
        let beat = i as f64 * 0.037;
        assert!((cursor.value_at(&curve, beat) - brute(&curve, 8.0, beat)).abs() <= 1e-6);
    }
    let single = LaneCurve::new(vec![LanePoint::new(5.0, 0.25, Curve::Linear)]).unwrap();
    let mut cursor = LaneCursor::new(&single, 4.0);
    assert_eq!(cursor.value_at(&single, 1.0), 0.25);
}
