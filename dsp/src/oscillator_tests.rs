//! The oscillators against their naive waveforms and against a sample-by-sample reference:
//! edge flags and corrections, the integer phase encoding, intervals and their carries,
//! priming, and lane groups against lone oscillators.

use super::edges::{crossing_mask, sign, trough_shift};
use super::*;

fn naive(wave: Waveform, p: f64, pw: f64) -> f64 {
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
fn encoded(phase: u32, inc: u32) -> (f32, Steps<f32>) {
    let steps = Steps {
        inc: f32::from_bits(inc),
        inv_inc: 1.0 / inc as f32,
        width: Width::default(),
    };
    (f32::from_bits(phase ^ 0x8000_0000), steps)
}

/// An oscillator at exactly `phase` (encoded) with exactly `steps`, started at its first
/// sample.
fn oscillator_at(wave: Waveform, phase: f32, steps: Steps<f32>) -> Oscillator {
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

/// One oscillator's output straight from the definition, sample by sample: the naive
/// waveform of each sample's exact integer phase plus the taps of every edge that the
/// steps from three samples before it to two after it cross (the steps before sample 0
/// did not sound). Shares only the tap polynomials with the oscillator.
fn reference(wave: Waveform, start: u32, d: u32, pw: f32, len: usize) -> Vec<f64> {
    let cycle = 1u64 << 32;
    let mark = u64::from(Width::<f32>::new(pw).mark.to_bits() ^ 0x8000_0000);
    let phase = |n: usize| (u64::from(start) + n as u64 * u64::from(d)) % cycle;
    let mut out: Vec<f64> = (0..len)
        .map(|n| naive(wave, phase(n) as f64 / cycle as f64, f64::from(pw)))
        .collect();
    for s in 0..len + 2 {
        let (from, to) = (phase(s), phase(s) + u64::from(d));
        // The marks this step passes: (place in this cycle or the next, height).
        let marks: Vec<(u64, f64)> = match wave {
            Waveform::Saw => vec![(cycle, -2.0)],
            Waveform::Pulse => vec![(cycle, 2.0), (mark, -2.0), (mark + cycle, -2.0)],
            Waveform::Triangle => vec![(cycle, -1.0), (cycle / 2, 1.0), (cycle * 3 / 2, 1.0)],
            Waveform::Sine => vec![],
        };
        for (at, height) in marks {
            if !(from < at && at <= to) {
                continue;
            }
            let f = ((to - at) as f64 / f64::from(d)).min(1.0) as f32;
            if wave == Waveform::Triangle {
                let turn = 8.0 * f64::from(d) / cycle as f64 * height;
                let sixth = turn / 6.0;
                let f = f64::from(f);
                for (m, value) in [(s, sixth * f.powi(3)), (s + 1, sixth * (1.0 - f).powi(3))] {
                    if m < len {
                        out[m] += value;
                    }
                }
            } else {
                let taps = crate::blep::step_values(f, height as f32);
                for (i, tap) in taps.into_iter().enumerate() {
                    let m = (s + i).wrapping_sub(2);
                    if m < len {
                        out[m] += f64::from(tap);
                    }
                }
            }
        }
    }
    out
}

#[test]
fn intervals_play_what_the_edges_of_each_sample_add_up_to() {
    // Across many interval boundaries (whose carried taps join two intervals' edges),
    // pitches up to the highest, pulse widths at both ends and starts on and near edges.
    for wave in [Waveform::Saw, Waveform::Pulse, Waveform::Triangle] {
        for (dt, pw, start) in [
            (0.013f32, 0.35f32, 0.61f32),
            (0.2, 0.5, 0.0),
            (0.45, 0.05, 0.99),
            (0.0625, 0.95, 0.5),
            (0.3, 0.3, 0.7),
        ] {
            let d = increment_bits(dt).to_bits();
            let phase = phase_bits(start);
            let mut steps = encoded(0, d).1;
            steps.width = Width::new(pw);
            let mut osc = oscillator_at(wave, phase, steps);
            let want = reference(wave, phase.to_bits() ^ 0x8000_0000, d, pw, 500);
            for (n, want) in want.iter().enumerate() {
                let got = f64::from(osc.next_sample());
                assert!(
                    (got - want).abs() < 2e-5,
                    "{wave:?} dt {dt} pw {pw} start {start}, sample {n}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn priming_a_used_window_restarts_exactly_like_a_fresh_oscillator() {
    // A window full of another sound (an oscillator that fell silent mid-cycle), primed
    // at slot 13 from phase 0.97, plays what a new oscillator at 0.97 plays, through the
    // intervals that follow; the slots before 13 keep what they held.
    let mut fresh = Oscillator::new(Waveform::Pulse, 0.013, 0.4, 0.97);
    let steps = fresh.steps;
    let mut window = [0.37f32; WINDOW];
    let mut phase = phase_bits(0.97);
    let all = f32::from_bits(!0);
    prime(Waveform::Pulse, &mut phase, steps, &mut window, 13, all);
    assert!(window[..13].iter().all(|x| *x == 0.37));
    let mut slot = 13;
    for n in 0..200 {
        let got = play(Waveform::Pulse, &mut phase, steps, &mut window, &mut slot);
        assert_eq!(got, fresh.next_sample(), "sample {n}");
    }
}

/// Eight lanes of steps, each built as a lone oscillator builds its own.
fn lane_steps(dt: [f32; 8], pw: [f32; 8]) -> Steps<wide::f32x8> {
    let lanes: [Steps<f32>; 8] =
        std::array::from_fn(|i| Oscillator::new(Waveform::Saw, dt[i], pw[i], 0.0).steps);
    let gather = |f: fn(&Steps<f32>) -> f32| wide::f32x8::new(lanes.each_ref().map(f));
    Steps {
        inc: gather(|s| s.inc),
        inv_inc: gather(|s| s.inv_inc),
        width: Width {
            pw: gather(|s| s.width.pw),
            mark: gather(|s| s.width.mark),
            shift: gather(|s| s.width.shift),
        },
    }
}

#[test]
fn a_lane_group_plays_what_eight_lone_oscillators_play() {
    // Every waveform, eight lanes of different pitches, pulse widths and phases: each
    // lane bit for bit against a lone oscillator, through edges that fall in one lane,
    // several, and steps of the same interval.
    use wide::f32x8;
    let dt = [0.013, 0.2, 0.0071, 0.45, 0.031, 0.09, 0.3, 0.0005];
    let pw = [0.05, 0.5, 0.95, 0.3, 0.7, 0.5, 0.5, 0.5];
    let starts = [0.0, 0.99, 0.5, 0.25, 0.699, 0.1, 0.95, 0.3];
    let steps = lane_steps(dt, pw);
    for wave in [
        Waveform::Saw,
        Waveform::Pulse,
        Waveform::Triangle,
        Waveform::Sine,
    ] {
        let mut phase = f32x8::new(starts.map(phase_bits));
        let mut window = [f32x8::splat(0.0); WINDOW];
        prime(wave, &mut phase, steps, &mut window, 0, f32x8::all_set());
        let mut lone: [Oscillator; 8] =
            std::array::from_fn(|i| Oscillator::new(wave, dt[i], pw[i], starts[i]));
        let mut slot = 0;
        for n in 0..2_000 {
            let got = play(wave, &mut phase, steps, &mut window, &mut slot);
            let alone = lone.each_mut().map(|o| o.next_sample().to_bits());
            assert_eq!(
                got.to_array().map(f32::to_bits),
                alone,
                "{wave:?} sample {n}"
            );
        }
    }
}

#[test]
fn priming_touches_only_the_masked_lanes() {
    use wide::f32x8;
    let mut window = [f32x8::splat(7.0); WINDOW];
    let start = f32x8::splat(phase_bits(0.25));
    let mut phase = start;
    let steps = lane_steps([0.01; 8], [0.5; 8]);
    let mut mask = f32x8::splat(0.0);
    mask.set_lane(3, f32::from_bits(!0));
    prime(Waveform::Saw, &mut phase, steps, &mut window, 5, mask);
    for lane in 0..8 {
        let moved = lane == 3;
        let changed = phase.lane(lane).to_bits() != start.lane(lane).to_bits();
        assert_eq!(changed, moved, "lane {lane}");
        for (slot, value) in window.iter().enumerate() {
            let held = value.lane(lane) == 7.0;
            assert_eq!(held, !moved || slot < 5, "lane {lane}, slot {slot}");
        }
    }
    // Lane 3's slots past its steps' reach are cleared.
    assert_eq!(window[WINDOW - 1].lane(3), 0.0);
}

#[test]
fn phases_encode_and_step_exactly() {
    // The encoding's zero is half a cycle; whole cycles wrap away; after a thousand
    // samples the phase has taken the steps of every interval begun (63 of 16 samples)
    // and the look-ahead, to the unit.
    assert_eq!(phase_bits(0.5).to_bits(), 0);
    assert_eq!(phase_bits(0.0).to_bits(), 0x8000_0000);
    assert_eq!(phase_bits(1.25).to_bits(), phase_bits(0.25).to_bits());
    let mut osc = Oscillator::new(Waveform::Saw, 0.0123, 0.5, 0.9);
    let start = phase_bits(0.9).to_bits();
    let d = osc.steps.inc.to_bits();
    for _ in 0..1_000 {
        osc.next_sample();
    }
    let steps =
        1_000u32.div_ceil(CONTROL_INTERVAL as u32) * CONTROL_INTERVAL as u32 + LOOKAHEAD as u32;
    assert_eq!(
        osc.phase.to_bits(),
        start.wrapping_add(d.wrapping_mul(steps))
    );
}

#[test]
fn a_batch_of_oscillators_renders_what_each_renders_alone() {
    // Six lane groups (a full batch and part of one) at pitches from low to near the top,
    // every waveform, pulse widths narrow enough for steps that cross both edges: the
    // batched intervals (one walk over all crossings of a batch) against each group's
    // intervals taken on its own, every slot of every lane to the bit.
    use wide::f32x8;
    let width = Width::<f32x8>::new(0.07);
    let group = |g: usize| {
        let dt: [f32; 8] = std::array::from_fn(|l| 0.0007 * (1.9f32).powi((g + l) as i32 % 9));
        let inc = increment_bits(f32x8::new(dt));
        let steps = Steps {
            inc,
            inv_inc: f32x8::splat(1.0) / inc.bits_to_float(),
            width,
        };
        let phase = f32x8::new(std::array::from_fn(|l| {
            phase_bits(0.13 * (g * 8 + l) as f32)
        }));
        (phase, [f32x8::splat(0.0); WINDOW], steps)
    };
    for wave in [
        Waveform::Saw,
        Waveform::Pulse,
        Waveform::Triangle,
        Waveform::Sine,
    ] {
        let mut batched: Vec<_> = (0..6).map(group).collect();
        let mut alone = batched.clone();
        let mut crossings = 0;
        for _ in 0..200 {
            render_intervals(
                wave,
                &mut batched,
                #[inline(always)]
                |(phase, window, steps): &mut (f32x8, Window<f32x8>, Steps<f32x8>)| {
                    OscillatorState::<f32x8> {
                        phase,
                        window,
                        steps: *steps,
                    }
                },
            );
            // Alone, as an interval was taken before batches: the window moved on, then the
            // steps of this oscillator with their corrections.
            for (phase, window, steps) in &mut alone {
                let mut p = *phase;
                for _ in 0..CONTROL_INTERVAL {
                    let next = p.add_bits(steps.inc);
                    crossings += crossing_mask(p, next, f32x8::splat(0.0))
                        .bitmask()
                        .count_ones();
                    p = next;
                }
                move_on(window);
                let at = (LOOKAHEAD, CONTROL_INTERVAL, CARRY - LOOKAHEAD);
                run_steps(wave, phase, *steps, window, at);
            }
            for (g, (b, a)) in batched.iter().zip(&alone).enumerate() {
                assert_eq!(
                    b.0.to_array().map(f32::to_bits),
                    a.0.to_array().map(f32::to_bits)
                );
                for (slot, (b, a)) in b.1.iter().zip(&a.1).enumerate() {
                    let bits = |x: &f32x8| x.to_array().map(f32::to_bits);
                    assert_eq!(bits(b), bits(a), "{wave:?}, group {g}, slot {slot}");
                }
            }
        }
        assert!(crossings > 2_000, "{wave:?}: {crossings} wraps");
    }
}
