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
//! Edges are found with the same comparisons that make the naive waveform, so every jump of
//! the naive waveform gets exactly one correction, whatever the rounding. Each step is worked
//! out as an [`Ahead`]: the phase after it and integer flags of the edges it crosses, which a
//! SIMD group computes one sample early so its edge branches test values that are ready.
//!
//! The look-ahead costs no latency: a starting oscillator renders its first samples into the
//! ring at once ([`prime`]), so a note still sounds from its exact sample. Changes of pitch,
//! waveform and pulse width reach the waveform [`LOOKAHEAD`] samples after the control tick
//! that makes them; after a waveform switch the pending corrections of the old waveform's
//! last edge play out (at most three samples).

use crate::blep::{add, add_corner};
use crate::lanes::Lanes;
use crate::math::sin_cycles;
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
    /// triangle's trough at 0.5). Kept apart from `wraps`: each is one move-mask, where
    /// one word of both costs a pack sequence.
    marks: u32,
}

impl<L: Lanes> Ahead<L> {
    /// The step of `wave` from `phase` with `[dt, inv_dt, pw]` (see [`advance`]). O(1).
    #[inline(always)]
    pub fn new(wave: Waveform, phase: L, [dt, _, pw]: [L; 3]) -> Self {
        let (wrapped, next) = step_phase(phase, dt);
        let passes = |mark: L| crossed(phase.lt(mark), next, wrapped, mark).bitmask();
        let (wraps, marks) = match wave {
            Waveform::Sine => (0, 0),
            Waveform::Saw => (wrapped.bitmask(), 0),
            Waveform::Pulse => (wrapped.bitmask(), passes(pw)),
            Waveform::Triangle => (wrapped.bitmask(), passes(L::splat(0.5))),
        };
        Self { next, wraps, marks }
    }

    /// The phase after the step.
    #[inline(always)]
    pub fn next(&self) -> L {
        self.next
    }
}

/// The wrap mask and the phase one step of `dt` after `p`.
#[inline(always)]
fn step_phase<L: Lanes>(p: L, dt: L) -> (L, L) {
    let one = L::splat(1.0);
    let next = p + dt;
    let wrapped = one.le(next);
    (wrapped, next - wrapped.and(one))
}

/// Advance an oscillator by one sample. `n` is the output sample now (any counter that
/// advances by one per sample, taken modulo `N`): the naive waveform of sample
/// `n + LOOKAHEAD` is added into `ring`, then the corrections of any edge crossed before the
/// following sample, and the phase moves on. `this` is the step, [`Ahead::new`] of the phase
/// (made now, or one sample early). Read sample `n` with [`take`] afterwards. `inv_dt` is
/// 1/dt and `pw` the pulse width. Allocation-free, O(1).
#[inline(always)]
pub fn advance<L: Lanes, const N: usize>(
    wave: Waveform,
    phase: &mut L,
    [dt, inv_dt, pw]: [L; 3],
    ring: &mut [L; N],
    n: usize,
    this: Ahead<L>,
) {
    let s = n + LOOKAHEAD;
    let p = *phase;
    let Ahead {
        next: p_next,
        wraps,
        marks,
    } = this;
    let one = L::splat(1.0);
    // Only edge code needs the step's wrap mask again (the one its flags came from).
    let wrapped = || step_phase(p, dt).0;
    // The fraction of a sample between the edge and sample s + 1, and the edge's height in
    // the lanes in `crossed`; zero height in the others, so their taps add nothing (±0).
    let edge = |past: L, crossed: L, height: L| ((past * inv_dt).min(one), crossed.and(height));
    // The same for a step, whose correction the lane type adds (see `Lanes::add_step_in`).
    let step = |ring: &mut [L; N], past: L, crossed: L, height: L| {
        L::add_step_in(ring, s, crossed, (past * inv_dt).min(one), height);
    };
    match wave {
        Waveform::Sine => add(ring, s, sin_cycles(p)),
        Waveform::Saw => {
            add(ring, s, p + p - one);
            if wraps != 0 {
                step(ring, p_next, wrapped(), L::splat(-2.0));
            }
        }
        Waveform::Pulse => {
            // +1 while p < pw, −1 after, minus the DC offset 2pw − 1.
            let high = p.lt(pw);
            add(ring, s, high.and(L::splat(2.0)) - (pw + pw));
            if wraps != 0 {
                step(ring, p_next, wrapped(), L::splat(2.0));
            }
            if marks != 0 {
                let fell = crossed(high, p_next, wrapped(), pw);
                step(ring, past_mark(p_next, pw), fell, L::splat(-2.0));
            }
        }
        Waveform::Triangle => {
            add(ring, s, L::splat(4.0) * (p - L::splat(0.5)).abs() - one);
            // The slope turns by 8 per cycle (8·dt per sample) at the peak and the trough.
            let turn = L::splat(8.0) * dt;
            if wraps != 0 {
                add_corner(ring, s, edge(p_next, wrapped(), -turn));
            }
            if marks != 0 {
                let half = L::splat(0.5);
                let troughed = crossed(p.lt(half), p_next, wrapped(), half);
                add_corner(ring, s, edge(past_mark(p_next, half), troughed, turn));
            }
        }
    }
    *phase = p_next;
}

/// Mask of lanes whose phase passed `mark` (0 < mark < 1) on the step to `p_next`, given
/// `below` = (p < mark) before the step. Without a wrap the phase passed it if it was below
/// and is no longer; with one, it passed it before the wrap if it was below, or after it if
/// it is no longer below: both at once would take dt > 1. So the mask is
/// below ⊕ (p_next < mark) ⊕ wrapped, from the comparisons the naive waveform makes: it is
/// set exactly when the naive waveform changes side.
#[inline(always)]
fn crossed<L: Lanes>(below: L, p_next: L, wrapped: L, mark: L) -> L {
    below.xor(p_next.lt(mark)).xor(wrapped)
}

/// How far phase `p` (0…1) is past `mark`, wrapped into 0…1 (the distance of a crossing
/// found by [`crossed`]).
#[inline(always)]
fn past_mark<L: Lanes>(p: L, mark: L) -> L {
    let r = p - mark;
    r + r.lt(L::splat(0.0)).and(L::splat(1.0))
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
    steps: [L; 3],
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
    steps: [f32; 3],
    phase: f32,
    ring: Ring<f32>,
    n: usize,
}

impl Oscillator {
    /// An oscillator of `wave` at `dt` cycles per sample (0 < dt ≤ 0.45) and pulse width `pw`,
    /// starting at `phase`.
    pub fn new(wave: Waveform, dt: f32, pw: f32, phase: f32) -> Self {
        let mut osc = Self {
            wave,
            steps: [dt, 1.0 / dt, pw],
            phase,
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

    #[test]
    fn crossings_are_the_side_changes_of_the_naive_waveform() {
        // The ⊕ form against the definition: the phase passed the mark before the wrap
        // (p < mark ≤ p + dt) or after it (mark ≤ the wrapped phase), over a grid of phases,
        // steps up to the highest pitch and marks, including landings exactly on the mark.
        let mut checked = 0;
        for pi in 0..200 {
            for di in 1..=45 {
                for mi in 1..=19 {
                    let (p, dt, mark) = (pi as f32 / 200.0, di as f32 / 100.0, mi as f32 / 20.0);
                    let next = p + dt;
                    let wrapped = 1.0 <= next;
                    let p_next = if wrapped { next - 1.0 } else { next };
                    let want = (p < mark && mark <= next) || (wrapped && mark <= p_next);
                    let got = crossed(Lanes::lt(p, mark), p_next, Lanes::le(1.0, next), mark);
                    assert_eq!(got.any(), want, "p {p}, dt {dt}, mark {mark}");
                    checked += usize::from(want);
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn a_phase_landing_exactly_on_the_pulse_width_gets_one_correction() {
        // pw + dt rounds below pw + dt here, so a distance test (p_next − pw < dt) would
        // find the same falling edge again one sample later.
        let (pw, dt) = (0.7f32, 0.011f32);
        assert_eq!((pw - dt) + dt, pw);
        assert!((pw + dt) - pw < dt);
        let steps = [dt, 1.0 / dt, pw];
        let mut ring = [0.0f32; RING];
        let mut phase = pw - dt;
        let mut out = Vec::new();
        for n in 0..12 {
            let this = Ahead::new(Waveform::Pulse, phase, steps);
            advance(Waveform::Pulse, &mut phase, steps, &mut ring, n, this);
            out.push(take(&mut ring, n));
        }
        // Naive levels: 2 − 2pw = 0.6 before the edge, −2pw = −1.4 after (the ring was not
        // primed, so the first two samples are empty). The corrected waveform falls
        // monotonically from one to the other without overshoot.
        for w in out[2..].windows(2) {
            assert!(w[1] <= w[0] + 1e-6, "{out:?}");
        }
        assert!(out.iter().skip(2).all(|x| *x >= -1.4 - 1e-5), "{out:?}");
        assert!((out[11] + 1.4).abs() < 1e-5, "{out:?}");
    }

    #[test]
    fn priming_a_used_ring_restarts_exactly_like_a_fresh_oscillator() {
        // A ring full of another sound (an oscillator that fell silent mid-cycle), primed
        // at sample 13 from phase 0.97, plays what a new oscillator at 0.97 plays.
        let (dt, pw) = (0.013f32, 0.4f32);
        let steps = [dt, 1.0 / dt, pw];
        let mut ring = [0.37f32; RING];
        let mut phase = 0.97f32;
        prime(
            Waveform::Pulse,
            &mut phase,
            steps,
            &mut ring,
            13,
            f32::from_bits(!0),
        );
        let mut fresh = Oscillator::new(Waveform::Pulse, dt, pw, 0.97);
        for n in 13..13 + 200 {
            let this = Ahead::new(Waveform::Pulse, phase, steps);
            advance(Waveform::Pulse, &mut phase, steps, &mut ring, n, this);
            assert_eq!(take(&mut ring, n), fresh.next_sample(), "sample {n}");
        }
    }

    #[test]
    fn a_step_carried_from_the_previous_sample_plays_what_a_fresh_one_plays() {
        // The SIMD engine works each step out one sample early and branches on the carried
        // flags: every waveform, eight lanes of different pitches, pulse widths and phases,
        // bit for bit against steps made from the phase when they are taken.
        use wide::f32x8;
        let dt = f32x8::new([0.013, 0.2, 0.0071, 0.45, 0.031, 0.09, 0.3, 0.0005]);
        let pw = f32x8::new([0.05, 0.5, 0.95, 0.3, 0.7, 0.5, 0.5, 0.5]);
        let steps = [dt, f32x8::splat(1.0) / dt, pw];
        for wave in [
            Waveform::Saw,
            Waveform::Pulse,
            Waveform::Triangle,
            Waveform::Sine,
        ] {
            let start = f32x8::new([0.0, 0.99, 0.5, 0.25, 0.699, 0.1, 0.95, 0.3]);
            let (mut carried, mut fresh) = (start, start);
            let mut ring_carried = [f32x8::splat(0.0); RING];
            let mut ring_fresh = ring_carried;
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
                assert_eq!(
                    a.to_array().map(f32::to_bits),
                    b.to_array().map(f32::to_bits)
                );
            }
            assert_eq!(edges > 500, wave != Waveform::Sine, "{wave:?}: {edges}");
        }
    }

    #[test]
    fn priming_touches_only_the_masked_lanes() {
        use wide::f32x8;
        let mut ring = [f32x8::splat(7.0); RING];
        let mut phase = f32x8::splat(0.25);
        let steps = [f32x8::splat(0.01), f32x8::splat(100.0), f32x8::splat(0.5)];
        let mut mask = f32x8::splat(0.0);
        mask.set_lane(3, f32::from_bits(!0));
        prime(Waveform::Saw, &mut phase, steps, &mut ring, 5, mask);
        for lane in 0..8 {
            let moved = lane == 3;
            assert_eq!(phase.lane(lane) != 0.25, moved, "lane {lane}");
            assert_eq!(ring[5].lane(lane) != 7.0, moved, "lane {lane}");
        }
        // Lane 3's slots after its two primed samples are cleared.
        assert_eq!(ring[(5 + 7) % RING].lane(3), 0.0);
    }
}
