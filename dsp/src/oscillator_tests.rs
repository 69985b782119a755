//! The oscillators against their naive waveforms and their edges: where the corrections go,
//! the bounds up to the highest pitch, and the crossings the integer phases find (see
//! `oscillator_interval_tests.rs` for intervals, priming, lane groups and batches).

use super::edges::{crossing_mask, sign, trough_shift};
use super::*;

pub(super) fn naive(wave: Waveform, p: f64, pw: f64) -> f64 {
    match wave {
        Waveform::Saw => 2.0 * p - 1.0,
        Waveform::Pulse => (if p < pw { 2.0 } else { 0.0 }) - 2.0 * pw,
        Waveform::Triangle => 4.0 * (p - 0.5).abs() - 1.0,
        Waveform::Sine => (std::f64::consts::TAU * p).sin(),
    }
}

#[test]
fn far_from_edges_the_output_is_the_naive_waveform_from_the_first_sample() {
    // dt = 1/64: edges of the saw at sample 0, 64, 128 …; sample 32 is far from all.
    for wave in [Waveform::Saw, Waveform::Pulse, Waveform::Sine] {
        let dt = 1.0 / 64.0;
        let mut osc = Oscillator::new(wave, dt, 0.25, 0.5);
        let out: Vec<f32> = (0..64).map(|_| osc.next_sample()).collect();
        for i in [0usize, 1, 2, 20, 40] {
            let p = (0.5 + i as f64 / 64.0).fract();
            let want = naive(wave, p, 0.25);
            assert!(
                (out[i] as f64 - want).abs() < 1e-3,
                "{wave:?} sample {i}: {} against {want}",
                out[i]
            );
        }
    }
}

#[test]
fn corrections_are_spread_around_each_edge_and_cancel_away_from_it() {
    // Average of the saw over whole cycles stays zero: the corrections add no DC.
    let dt = 1.0 / 37.3;
    let mut osc = Oscillator::new(Waveform::Saw, dt, 0.5, 0.0);
    let cycles = 373;
    let sum: f64 = (0..cycles * 10).map(|_| osc.next_sample() as f64).sum();
    assert!((sum / (cycles * 10) as f64).abs() < 1e-3, "DC {sum}");
}

#[test]
fn every_waveform_stays_bounded_up_to_the_highest_pitch() {
    for wave in [Waveform::Saw, Waveform::Pulse, Waveform::Triangle] {
        for dt in [1e-7f32, 0.001, 0.1, 0.3, 0.45] {
            for pw in [0.05f32, 0.5, 0.95] {
                let mut osc = Oscillator::new(wave, dt, pw, 0.999);
                for _ in 0..2_000 {
                    let x = osc.next_sample();
                    // The pulse's naive range is 2 − 2pw … −2pw; the B-spline step never
                    // overshoots it.
                    assert!(
                        x.is_finite() && x.abs() <= 1.9001,
                        "{wave:?} {dt} {pw}: {x}"
                    );
                }
            }
        }
    }
}

/// Exact integer phases for the crossing tests: (phase, steps) from plain units.
pub(super) fn encoded(phase: u32, inc: u32) -> (f32, Steps<f32>) {
    let steps = Steps {
        inc: f32::from_bits(inc),
        inv_inc: 1.0 / inc as f32,
        width: Width::default(),
    };
    (f32::from_bits(phase ^ 0x8000_0000), steps)
}

/// An oscillator at exactly `phase` (encoded) with exactly `steps`, started at its first
/// sample.
pub(super) fn oscillator_at(wave: Waveform, phase: f32, steps: Steps<f32>) -> Oscillator {
    let mut osc = Oscillator {
        wave,
        steps,
        phase,
        window: [0.0; WINDOW],
        slot: 0,
    };
    prime(
        wave,
        &mut osc.phase,
        steps,
        &mut osc.window,
        0,
        f32::from_bits(!0),
    );
    osc
}

#[test]
fn flags_are_the_crossings_and_the_naive_waveform_changes_side_with_them() {
    // Against the definition in plain 64-bit arithmetic: a wrap is φ + d ≥ 2³², and the
    // phase passes the mark P before the wrap (φ < P ≤ φ + d) or after it
    // (P ≤ φ + d − 2³²). The naive pulse's side (φ < P) changes exactly when one of the
    // two is crossed. Over a grid of phases, increments up to the highest pitch and
    // pulse widths, and the landings exactly on the mark and the cycle's end.
    let cycle = 1u64 << 32;
    let mut checked = [0usize; 2];
    for mi in 1..=19 {
        let width = Width::<f32>::new(mi as f32 / 20.0);
        let mark = u64::from(width.mark.to_bits() ^ 0x8000_0000);
        for di in 1..=45 {
            let d = (di as f64 / 100.0 * cycle as f64) as u64;
            let grid = (0..200).map(|pi| pi * cycle / 200);
            let landings = [mark + cycle - d, mark + cycle - d - 1, mark - 1, mark];
            let ends = [cycle - d, cycle - d - 1];
            let edges = landings.into_iter().chain(ends).map(|x| x % cycle);
            for phi in grid.chain(edges) {
                let (phase, steps) = encoded(phi as u32, d as u32);
                let next = phase.add_bits(steps.inc);
                let wrap = phi + d >= cycle;
                let passed = (phi < mark && mark <= phi + d) || (wrap && mark <= phi + d - cycle);
                let found = |mask: f32| mask.bitmask() != 0;
                let at = format!("φ {phi}, d {d}, mark {mark}");
                assert_eq!(found(crossing_mask(phase, next, 0.0)), wrap, "{at}");
                // The wrap is the mark at the cycle's end, as the oscillator lists it.
                assert_eq!(found(crossing_mask(phase, next, 0.0)), wrap, "{at}");
                assert_eq!(
                    found(crossing_mask(phase, next, width.shift)),
                    passed,
                    "{at}"
                );
                assert_eq!(u64::from(next.to_bits() ^ 0x8000_0000), (phi + d) % cycle);
                let high = |p: f32| p.lt_bits(width.mark).to_bits() != 0;
                assert_eq!(high(phase) != high(next), wrap != passed);
                checked[usize::from(passed)] += 1;
            }
        }
    }
    assert!(checked[0] > 10_000 && checked[1] > 10_000, "{checked:?}");
}

#[test]
fn the_pulse_is_the_difference_of_two_saws_down_to_its_corrections() {
    // With a rise of 2 at the wrap and a fall of 2 at the mark, the band-limited pulse
    // is the band-limited saw one width behind minus the saw itself, taps and all.
    // Independent of how the pulse finds and combines its edges, through the steps that
    // cross both edges at once (a step longer than the pulse's short part).
    for (dt, pw) in [
        (0.013, 0.35),
        (0.2, 0.5),
        (0.3, 0.05),
        (0.45, 0.3),
        (0.07, 0.95),
    ] {
        let start = 0.61f32;
        let mut pulse = Oscillator::new(Waveform::Pulse, dt, pw, start);
        let mut ahead = Oscillator::new(Waveform::Saw, dt, pw, start - pw);
        let mut saw = Oscillator::new(Waveform::Saw, dt, pw, start);
        let (inc, shift) = (pulse.steps.inc, pulse.steps.width.shift);
        let mut phase = phase_bits(start);
        let mut both = 0;
        for n in 0..4_000 {
            let next = phase.add_bits(inc);
            let mask = |m: f32| m.bitmask() != 0;
            both += usize::from(
                mask(crossing_mask(phase, next, 0.0)) && mask(crossing_mask(phase, next, shift)),
            );
            phase = next;
            let want = ahead.next_sample() - saw.next_sample();
            let got = pulse.next_sample();
            assert!(
                (got - want).abs() < 2e-5,
                "dt {dt}, pw {pw}, sample {n}: {got} vs {want}"
            );
        }
        let short = pw.min(1.0 - pw);
        assert_eq!(both > 0, dt > short, "dt {dt}, pw {pw}: {both}");
    }
}

#[test]
fn the_triangle_trough_is_the_crossing_of_half_a_cycle() {
    let cycle = 1u64 << 32;
    let half = cycle / 2;
    for d in [1u64, 429, 1 << 20, cycle / 3, cycle * 45 / 100] {
        for phi in [
            0,
            half - d,
            half - d - 1,
            half - 1,
            half,
            cycle - d,
            12_345_678,
        ] {
            let (phase, steps) = encoded(phi as u32, d as u32);
            let next = phase.add_bits(steps.inc);
            let passed = (phi < half && half <= phi + d) || (phi + d >= cycle + half);
            let wrap = phi + d >= cycle;
            let trough = crossing_mask(phase, next, trough_shift()).bitmask() != 0;
            assert_eq!(trough, passed, "φ {phi}, d {d}");
            assert_eq!(
                crossing_mask(phase, next, 0.0).bitmask() != 0,
                wrap,
                "φ {phi}, d {d}"
            );
            // Past the trough, the shifted phase in plain units is the phase's own `i32`.
            let past = next.add_bits(trough_shift()).xor(sign());
            assert_eq!(past.to_bits(), next.to_bits());
        }
    }
}

#[test]
fn a_phase_landing_exactly_on_the_pulse_width_gets_one_correction() {
    // The phase steps onto the mark exactly: one falling edge, found once, and the
    // corrected waveform falls monotonically between the naive levels without overshoot.
    let (pw, dt) = (0.7f32, 0.011f32);
    let width = Width::<f32>::new(pw);
    let mark = width.mark.to_bits() ^ 0x8000_0000;
    let d = increment_bits(dt).to_bits();
    let (start, mut steps) = encoded(mark - 5 * d, d);
    steps.inv_inc = 1.0 / d as f32;
    steps.width = width;
    let mut osc = oscillator_at(Waveform::Pulse, start, steps);
    let out: Vec<f32> = (0..12).map(|_| osc.next_sample()).collect();
    let mut phase = start;
    let mut falls = 0;
    for _ in 0..12 {
        let next = phase.add_bits(steps.inc);
        falls += usize::from(crossing_mask(phase, next, width.shift).bitmask() != 0);
        phase = next;
    }
    assert_eq!(falls, 1);
    // Naive levels: 2 − 2pw = 0.6 before the edge, −2pw = −1.4 after.
    for w in out.windows(2) {
        assert!(w[1] <= w[0] + 1e-6, "{out:?}");
    }
    assert!(out.iter().all(|x| *x >= -1.4 - 1e-5), "{out:?}");
    assert!((out[0] - 0.6).abs() < 1e-5, "{out:?}");
    assert!((out[11] + 1.4).abs() < 1e-5, "{out:?}");
}
