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
#[path = "oscillator_tests.rs"]
mod tests;
