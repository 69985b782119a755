//! Intervals against a sample-by-sample reference and their carries, priming, lane groups
//! against lone oscillators, the phases' exact steps, and batches of oscillators against
//! each alone.

use super::edges::crossing_mask;
use super::tests::{encoded, naive, oscillator_at};
use super::*;

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
