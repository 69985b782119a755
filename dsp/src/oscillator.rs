//! Band-limited oscillators with edge-scheduled corrections.
//!
//! Each oscillator runs [`LOOKAHEAD`] samples ahead of the output. Every sample it adds the
//! naive waveform of its look-ahead sample into a small ring of future samples, and when its
//! phase crosses a discontinuity between two samples it adds the whole band-limiting
//! correction of that edge (all its taps, before and after the edge) into the ring at once.
//! The output reads the ring's current slot. So the correction polynomials run once per edge
//! instead of at every sample near one, and a lane group takes the branch only on the samples
//! where some lane actually crosses an edge: for each kind of edge about 8·f/fs of them for
//! eight voices, against 40·f/fs for a per-sample window test.
//!
//! **Phases are integers.** A phase p (0 ≤ p < 1 cycle) is the `i32` (p − ½)·2³², held in
//! the lane's bits, and it advances by a whole number of 2⁻³² cycles per sample with
//! wrapping addition: exact, so no rounding drifts a pitch or moves an edge. The half-cycle
//! offset puts the cycle's end where the `i32` overflows from positive to negative, so a
//! wrap is the sign bit of `next & !phase`: one operation. A mark at m (the pulse width, or
//! the triangle's trough) is found the same way on the phase minus m. The naive saw is the
//! phase converted to a float, scaled.
//!
//! Edges are found with the same integer comparisons that make the naive waveform, so every
//! jump of the naive waveform gets exactly one correction. Each step is worked out as an
//! [`Ahead`]: the phase after it and integer flags of the edges it crosses, which a SIMD
//! group computes one sample early so its edge branches test values that are ready.
//!
//! The look-ahead costs no latency: a starting oscillator renders its first samples into the
//! ring at once ([`prime`]), so a note still sounds from its exact sample. Changes of pitch,
//! waveform and pulse width reach the waveform [`LOOKAHEAD`] samples after the control tick
//! that makes them; after a waveform switch the pending corrections of the old waveform's
//! last edge play out (at most three samples).

use crate::blep::{add, add_corner};
use crate::lanes::Lanes;
use crate::math::sin_centered;
use crate::patch::Waveform;

/// Slots in an oscillator's ring of future samples (a power of two, indexed by the absolute
/// sample position modulo `RING`).
pub const RING: usize = 8;

/// How many samples ahead of the output the phase runs: the B-spline step reaches two samples
/// before its edge.
pub const LOOKAHEAD: usize = 2;

/// The ring of future output samples of one oscillator (per lane).
pub type Ring<L> = [L; RING];

// A step's taps reach two samples before its edge and three after the look-ahead sample, so
// the live slots n … n + LOOKAHEAD + 3 must be distinct.
const _: () = assert!(LOOKAHEAD >= 2 && LOOKAHEAD + 4 <= RING && RING.is_power_of_two());

/// Phase units per cycle.
const CYCLE: f64 = 4_294_967_296.0;

/// 2⁻³¹: a phase's `i32` to the naive saw's −1 … 1.
const SAW_SCALE: f32 = 1.0 / 2_147_483_648.0;

/// The phase `p` cycles (0 ≤ p < 1; whole cycles wrap away) in the oscillators' encoding,
/// as lane bits.
pub fn phase_bits(p: f32) -> f32 {
    let units = (f64::from(p).rem_euclid(1.0) * CYCLE) as u64 as u32;
    f32::from_bits(units ^ 0x8000_0000)
}

/// The phase increment of `dt` cycles per sample (0 < dt < ½) as lane bits. Allocation-free,
/// O(1).
#[inline(always)]
pub fn increment_bits<L: Lanes>(dt: L) -> L {
    (dt * L::splat(CYCLE as f32)).float_to_bits()
}

/// A pulse width in the forms the oscillator uses, splatted for a run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Width<L> {
    /// The width in cycles, for the pulse's DC offset.
    pub pw: L,
    /// The width as a phase (the falling edge's place): the pulse is high below it.
    pub mark: L,
    /// Minus the width in phase units: phase + `shift` overflows where the phase passes the
    /// mark, as the phase itself does at the cycle's end.
    pub shift: L,
}

impl<L: Lanes> Width<L> {
    /// The forms of pulse width `pw` (0 < pw < 1).
    pub fn new(pw: f32) -> Self {
        let units = phase_bits(pw).to_bits() ^ 0x8000_0000;
        Self {
            pw: L::splat(pw),
            mark: L::splat(phase_bits(pw)),
            shift: L::splat(f32::from_bits(units.wrapping_neg())),
        }
    }
}

/// What an oscillator steps by: its increment and the pulse width.
#[derive(Clone, Copy, Debug, Default)]
pub struct Steps<L> {
    /// The phase increment per sample (lane bits, see [`increment_bits`]).
    pub inc: L,
    /// 1 / inc as a float: a distance in phase units to a fraction of a sample.
    pub inv_inc: L,
    /// The pulse width.
    pub width: Width<L>,
}

/// The lanes' sign bits: xor flips a phase between the encoding and plain units.
#[inline(always)]
fn sign<L: Lanes>() -> L {
    L::splat(-0.0)
}

/// The lanes whose step from `phase` to `next` wraps, in the sign bits: where the phase's
/// `i32` overflows from positive to negative.
#[inline(always)]
fn wrap_lanes<L: Lanes>(phase: L, next: L) -> L {
    next.but_not(phase)
}

/// The lanes whose step passes the mark that `shift` moves to the cycle's end (see
/// [`Width::shift`]), in the sign bits.
#[inline(always)]
fn mark_lanes<L: Lanes>(phase: L, next: L, shift: L) -> L {
    wrap_lanes(phase.add_bits(shift), next.add_bits(shift))
}

/// The lanes whose step passes the triangle's trough at ½, in the sign bits: where the
/// phase's `i32` turns from negative to positive.
#[inline(always)]
fn trough_lanes<L: Lanes>(phase: L, next: L) -> L {
    phase.but_not(next)
}

/// An oscillator's coming step: the phase after it, and the lanes whose edges it crosses as
/// integer flags. A SIMD group works it out one sample early (see `render`), so its edge
/// branches test values that were ready long before them: a mispredicted one is found as
/// soon as it is reached instead of after the phase arithmetic, which waits behind the busy
/// vector units.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ahead<L> {
    next: L,
    /// Lane bits of the lanes that wrap.
    wraps: u32,
    /// Lane bits of the lanes that pass the waveform's mark (the pulse width, or the
    /// triangle's trough at 0.5). Kept apart from `wraps`: one flag for both cost a vector
    /// operation per sample and a select per edge, and measured no faster.
    marks: u32,
}

impl<L: Lanes> Ahead<L> {
    /// The step of `wave` from `phase` (see [`advance`]). O(1).
    #[inline(always)]
    pub fn new(wave: Waveform, phase: L, steps: Steps<L>) -> Self {
        let next = phase.add_bits(steps.inc);
        let wrap = || wrap_lanes(phase, next).bitmask();
        let (wraps, marks) = match wave {
            Waveform::Sine => (0, 0),
            Waveform::Saw => (wrap(), 0),
            Waveform::Pulse => (wrap(), mark_lanes(phase, next, steps.width.shift).bitmask()),
            Waveform::Triangle => (wrap(), trough_lanes(phase, next).bitmask()),
        };
        Self { next, wraps, marks }
    }

    /// The phase after the step.
    #[inline(always)]
    pub fn next(&self) -> L {
        self.next
    }
}

/// Advance an oscillator by one sample. `n` is the output sample now (any counter that
/// advances by one per sample, taken modulo `N`): the naive waveform of sample
/// `n + LOOKAHEAD` is added into `ring`, then the corrections of any edge crossed before the
/// following sample, and the phase moves on. `this` is the step, [`Ahead::new`] of the phase
/// (made now, or one sample early). Read sample `n` with [`take`] afterwards.
/// Allocation-free, O(1).
#[inline(always)]
pub fn advance<L: Lanes, const N: usize>(
    wave: Waveform,
    phase: &mut L,
    steps: Steps<L>,
    ring: &mut [L; N],
    n: usize,
    this: Ahead<L>,
) {
    let s = n + LOOKAHEAD;
    let p = *phase;
    let Ahead { next, wraps, marks } = this;
    let one = L::splat(1.0);
    // Only edge code needs the lanes of a flag as a mask.
    let wrapped = || wrap_lanes(p, next).sign_mask();
    // The fraction of a sample between an edge and sample s + 1, from the distance past it
    // in phase units, which is below the increment: at most 1, whatever the rounding.
    let fraction = |past: L| (past.bits_to_float() * steps.inv_inc).min(one);
    // The phase past the wrap, in plain units.
    let past_wrap = || fraction(next.xor(sign()));
    // The edge code's ring position, hidden from the optimizer: LLVM otherwise works the
    // ring indices of all the taps out on every sample, ahead of the branches that need them
    // on one sample in twenty (v3 SIMD 5–7 % slower, measured).
    let edge_slot = || std::hint::black_box(s);
    // A step's correction, which the lane type adds (see `Lanes::add_step_in`).
    let step = |ring: &mut [L; N], f: L, crossed: L, height: L| {
        L::add_step_in(ring, edge_slot(), crossed, f, height);
    };
    match wave {
        Waveform::Sine => add(
            ring,
            s,
            sin_centered(p.bits_to_float() * L::splat(-0.5 * SAW_SCALE)),
        ),
        Waveform::Saw => {
            add(ring, s, p.bits_to_float() * L::splat(SAW_SCALE));
            if wraps != 0 {
                step(ring, past_wrap(), wrapped(), L::splat(-2.0));
            }
        }
        Waveform::Pulse => {
            // +1 while p < pw, −1 after, minus the DC offset 2pw − 1.
            let w = steps.width;
            let high = p.lt_bits(w.mark);
            add(ring, s, high.and(L::splat(2.0)) - (w.pw + w.pw));
            if wraps != 0 {
                step(ring, past_wrap(), wrapped(), L::splat(2.0));
            }
            if marks != 0 {
                // The distance past the fall is the phase past the mark.
                let to = next.add_bits(w.shift);
                let fell = mark_lanes(p, next, w.shift).sign_mask();
                step(ring, fraction(to.xor(sign())), fell, L::splat(-2.0));
            }
        }
        Waveform::Triangle => {
            // 4·|p − ½| − 1, and |p − ½| is the phase's `i32` over 2³².
            let naive = p
                .bits_to_float()
                .abs()
                .mul_add(L::splat(0.5 * SAW_SCALE * 4.0), -one);
            add(ring, s, naive);
            // The slope turns by 8 per cycle (8·dt per sample) at the peak and the trough.
            let turn = || steps.inc.bits_to_float() * L::splat(8.0 / CYCLE as f32);
            if wraps != 0 {
                add_corner(ring, edge_slot(), (past_wrap(), wrapped().and(-turn())));
            }
            if marks != 0 {
                // Past the trough, the phase's `i32` is the distance past it.
                let troughed = trough_lanes(p, next).sign_mask();
                add_corner(ring, edge_slot(), (fraction(next), troughed.and(turn())));
            }
        }
    }
    *phase = next;
}

/// Read output sample `n` from `ring` and clear its slot for reuse. Allocation-free, O(1).
#[inline(always)]
pub fn take<L: Lanes, const N: usize>(ring: &mut [L; N], n: usize) -> L {
    std::mem::take(&mut ring[n % N])
}

/// Start (or restart) an oscillator whose phase is `phase` at output sample `n`: render its
/// first [`LOOKAHEAD`] samples into `ring` (clearing the rest of the ring) and move the phase
/// ahead, for the lanes set in `mask` only (the others are untouched). The taps that edges in
/// those first samples would put before sample `n` are dropped: the oscillator did not sound
/// then. Allocation-free, O(1).
pub fn prime<L: Lanes>(
    wave: Waveform,
    phase: &mut L,
    steps: Steps<L>,
    ring: &mut Ring<L>,
    n: usize,
    mask: L,
) {
    // Slot j of the scratch ring is sample n − LOOKAHEAD + j; it is long enough not to wrap.
    let mut scratch = [L::splat(0.0); 2 * RING];
    let mut p = *phase;
    for step in 0..LOOKAHEAD {
        let this = Ahead::new(wave, p, steps);
        advance(wave, &mut p, steps, &mut scratch, step, this);
    }
    *phase = mask.select(p, *phase);
    for j in 0..RING {
        let slot = &mut ring[(n + j) % RING];
        *slot = mask.select(scratch[LOOKAHEAD + j], *slot);
    }
}

/// A free-running oscillator with its own ring, for analysis and tests (the engine keeps the
/// same state per lane group in `VoiceGroup`).
#[derive(Clone, Copy, Debug)]
pub struct Oscillator {
    wave: Waveform,
    steps: Steps<f32>,
    phase: f32,
    ring: Ring<f32>,
    n: usize,
}

impl Oscillator {
    /// An oscillator of `wave` at `dt` cycles per sample (0 < dt ≤ 0.45) and pulse width `pw`,
    /// starting at `phase`.
    pub fn new(wave: Waveform, dt: f32, pw: f32, phase: f32) -> Self {
        let inc = increment_bits(dt);
        let steps = Steps {
            inc,
            inv_inc: 1.0 / inc.bits_to_float(),
            width: Width::new(pw),
        };
        let mut osc = Self {
            wave,
            steps,
            phase: phase_bits(phase),
            ring: [0.0; RING],
            n: 0,
        };
        prime(
            wave,
            &mut osc.phase,
            osc.steps,
            &mut osc.ring,
            0,
            f32::from_bits(!0),
        );
        osc
    }

    /// The next output sample. Allocation-free, O(1).
    pub fn next_sample(&mut self) -> f32 {
        let this = Ahead::new(self.wave, self.phase, self.steps);
        advance(
            self.wave,
            &mut self.phase,
            self.steps,
            &mut self.ring,
            self.n,
            this,
        );
        let out = take(&mut self.ring, self.n);
        self.n = self.n.wrapping_add(1);
        out
    }
}

#[cfg(test)]
mod tests {
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
                    let (phase, mut steps) = encoded(phi as u32, d as u32);
                    steps.width = width;
                    let this = Ahead::new(Waveform::Pulse, phase, steps);
                    let wrap = phi + d >= cycle;
                    let passed =
                        (phi < mark && mark <= phi + d) || (wrap && mark <= phi + d - cycle);
                    let found = |mask: f32| mask.bitmask() != 0;
                    let at = format!("φ {phi}, d {d}, mark {mark}");
                    assert_eq!(found(wrap_lanes(phase, this.next())), wrap, "{at}");
                    assert_eq!(
                        found(mark_lanes(phase, this.next(), width.shift)),
                        passed,
                        "{at}"
                    );
                    assert_eq!((this.wraps != 0, this.marks != 0), (wrap, passed), "{at}");
                    let next = u64::from(this.next().to_bits() ^ 0x8000_0000);
                    assert_eq!(next, (phi + d) % cycle);
                    let high = |p: f32| p.lt_bits(width.mark).to_bits() != 0;
                    assert_eq!(high(phase) != high(this.next()), wrap != passed);
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
            let mut both = 0;
            for n in 0..4_000 {
                let this = Ahead::new(Waveform::Pulse, pulse.phase, pulse.steps);
                let mask = |m: f32| m.bitmask() != 0;
                let shift = pulse.steps.width.shift;
                both += usize::from(
                    mask(wrap_lanes(pulse.phase, this.next()))
                        && mask(mark_lanes(pulse.phase, this.next(), shift)),
                );
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
                let this = Ahead::new(Waveform::Triangle, phase, steps);
                let passed = (phi < half && half <= phi + d) || (phi + d >= cycle + half);
                let wrap = phi + d >= cycle;
                let trough = trough_lanes(phase, this.next()).bitmask() != 0;
                assert_eq!(trough, passed, "φ {phi}, d {d}");
                assert_eq!(
                    wrap_lanes(phase, this.next()).bitmask() != 0,
                    wrap,
                    "φ {phi}, d {d}"
                );
                assert_eq!(
                    (this.wraps != 0, this.marks != 0),
                    (wrap, trough),
                    "φ {phi}, d {d}"
                );
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
        let (mut phase, mut steps) = encoded(mark - 5 * d, d);
        steps.inv_inc = 1.0 / d as f32;
        steps.width = width;
        let mut ring = [0.0f32; RING];
        let mut out = Vec::new();
        let mut falls = 0;
        for n in 0..12 {
            let this = Ahead::new(Waveform::Pulse, phase, steps);
            falls += usize::from(this.marks != 0);
            advance(Waveform::Pulse, &mut phase, steps, &mut ring, n, this);
            out.push(take(&mut ring, n));
        }
        assert_eq!(falls, 1);
        // Naive levels: 2 − 2pw = 0.6 before the edge, −2pw = −1.4 after (the ring was not
        // primed, so the first two samples are empty).
        for w in out[2..].windows(2) {
            assert!(w[1] <= w[0] + 1e-6, "{out:?}");
        }
        assert!(out.iter().skip(2).all(|x| *x >= -1.4 - 1e-5), "{out:?}");
        assert!((out[2] - 0.6).abs() < 1e-5, "{out:?}");
        assert!((out[11] + 1.4).abs() < 1e-5, "{out:?}");
    }

    #[test]
    fn priming_a_used_ring_restarts_exactly_like_a_fresh_oscillator() {
        // A ring full of another sound (an oscillator that fell silent mid-cycle), primed
        // at sample 13 from phase 0.97, plays what a new oscillator at 0.97 plays.
        let mut fresh = Oscillator::new(Waveform::Pulse, 0.013, 0.4, 0.97);
        let steps = fresh.steps;
        let mut ring = [0.37f32; RING];
        let mut phase = phase_bits(0.97);
        let all = f32::from_bits(!0);
        prime(Waveform::Pulse, &mut phase, steps, &mut ring, 13, all);
        for n in 13..13 + 200 {
            let this = Ahead::new(Waveform::Pulse, phase, steps);
            advance(Waveform::Pulse, &mut phase, steps, &mut ring, n, this);
            assert_eq!(take(&mut ring, n), fresh.next_sample(), "sample {n}");
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
    fn a_step_carried_from_the_previous_sample_plays_what_a_fresh_one_plays() {
        // The SIMD engine works each step out one sample early and branches on the carried
        // flags: every waveform, eight lanes of different pitches, pulse widths and phases,
        // bit for bit against steps made from the phase when they are taken, and each lane
        // bit for bit against a lone oscillator.
        use wide::f32x8;
        let dt = [0.013, 0.2, 0.0071, 0.45, 0.031, 0.09, 0.3, 0.0005];
        let pw = [0.05, 0.5, 0.95, 0.3, 0.7, 0.5, 0.5, 0.5];
        let starts = [0.0, 0.99, 0.5, 0.25, 0.699, 0.1, 0.95, 0.3];
        let steps = lane_steps(dt, pw);
        let bits = |x: f32x8| x.to_array().map(f32::to_bits);
        for wave in [
            Waveform::Saw,
            Waveform::Pulse,
            Waveform::Triangle,
            Waveform::Sine,
        ] {
            let start = f32x8::new(starts.map(phase_bits));
            let mut carried = start;
            let mut ring_carried = [f32x8::splat(0.0); RING];
            prime(
                wave,
                &mut carried,
                steps,
                &mut ring_carried,
                0,
                f32x8::all_set(),
            );
            let (mut fresh, mut ring_fresh) = (carried, ring_carried);
            let mut lone: [Oscillator; 8] =
                std::array::from_fn(|i| Oscillator::new(wave, dt[i], pw[i], starts[i]));
            let mut ahead = Ahead::new(wave, carried, steps);
            let mut edges = 0;
            for n in 0..2_000 {
                let this = ahead;
                ahead = Ahead::new(wave, this.next(), steps);
                edges += usize::from(this.wraps | this.marks != 0);
                advance(wave, &mut carried, steps, &mut ring_carried, n, this);
                let now = Ahead::new(wave, fresh, steps);
                advance(wave, &mut fresh, steps, &mut ring_fresh, n, now);
                let (a, b) = (take(&mut ring_carried, n), take(&mut ring_fresh, n));
                assert_eq!(bits(a), bits(b));
                let alone = lone.each_mut().map(|o| o.next_sample().to_bits());
                assert_eq!(bits(a), alone, "{wave:?} sample {n}");
            }
            assert_eq!(edges > 500, wave != Waveform::Sine, "{wave:?}: {edges}");
        }
    }

    #[test]
    fn priming_touches_only_the_masked_lanes() {
        use wide::f32x8;
        let mut ring = [f32x8::splat(7.0); RING];
        let start = f32x8::splat(phase_bits(0.25));
        let mut phase = start;
        let steps = lane_steps([0.01; 8], [0.5; 8]);
        let mut mask = f32x8::splat(0.0);
        mask.set_lane(3, f32::from_bits(!0));
        prime(Waveform::Saw, &mut phase, steps, &mut ring, 5, mask);
        for lane in 0..8 {
            let moved = lane == 3;
            let changed = phase.lane(lane).to_bits() != start.lane(lane).to_bits();
            assert_eq!(changed, moved, "lane {lane}");
            assert_eq!(ring[5].lane(lane) != 7.0, moved, "lane {lane}");
        }
        // Lane 3's slots after its two primed samples are cleared.
        assert_eq!(ring[(5 + 7) % RING].lane(3), 0.0);
    }

    #[test]
    fn phases_encode_and_step_exactly() {
        // The encoding's zero is half a cycle; whole cycles wrap away; a thousand steps land
        // on the start plus 1,000 increments (and the two primed ones), wrapped, to the unit.
        assert_eq!(phase_bits(0.5).to_bits(), 0);
        assert_eq!(phase_bits(0.0).to_bits(), 0x8000_0000);
        assert_eq!(phase_bits(1.25).to_bits(), phase_bits(0.25).to_bits());
        let mut osc = Oscillator::new(Waveform::Saw, 0.0123, 0.5, 0.9);
        let start = phase_bits(0.9).to_bits();
        let d = osc.steps.inc.to_bits();
        for _ in 0..1_000 {
            osc.next_sample();
        }
        let steps = 1_000 + LOOKAHEAD as u32;
        assert_eq!(
            osc.phase.to_bits(),
            start.wrapping_add(d.wrapping_mul(steps))
        );
    }
}
