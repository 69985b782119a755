//! Finding and correcting a waveform's edges over one call's steps: the phases of the
//! steps, which steps cross each kind of edge (one integer comparison per step and kind, no
//! branch), and the band-limiting correction of each crossing, edge by edge. See the
//! [`oscillator`](super) module for the phase encoding and the window.

use super::waves::Shape;
use super::{MAX_STEPS, Steps};
use crate::lanes::Lanes;

/// The lanes' sign bits: xor flips a phase between the encoding and plain units.
#[inline(always)]
pub(super) fn sign<L: Lanes>() -> L {
    L::splat(-0.0)
}

/// The shift that moves the triangle's trough at ½ to the cycle's end: half a cycle, which
/// flips the sign bit.
#[inline(always)]
pub(super) fn trough_shift<L: Lanes>() -> L {
    sign()
}

/// One kind of edge of a waveform: where it lies (the shift that moves it to the cycle's
/// end, see [`crossing_mask`]) and the height of its jump (of the value for a step, of the
/// slope per sample for a corner).
#[derive(Clone, Copy)]
pub(super) struct Edge<L> {
    /// The shift that moves the edge to the cycle's end.
    pub shift: L,
    /// The height of the jump.
    pub height: L,
}

/// The phases of one call's steps: `phases[j]` is the phase before step j, and the one
/// after the last step follows it.
pub(super) type Phases<L> = [L; MAX_STEPS + 1];

/// The phases of steps from `phase` by `inc` (see [`Phases`]).
#[inline(always)]
pub(super) fn phases<L: Lanes>(phase: L, inc: L) -> Phases<L> {
    // A plain loop rather than `array::from_fn`, whose closure would stay a call in the
    // engine's AVX2 entry point (see `lanes::avx`); the same holds for every closure on the
    // audio path that is not marked `#[inline(always)]`.
    let mut phases = [phase; MAX_STEPS + 1];
    for j in 1..phases.len() {
        phases[j] = phases[j - 1].add_bits(inc);
    }
    phases
}

/// The lanes whose step from `phase` to `next` passes the mark that `shift` moves to the
/// cycle's end (see [`Width::shift`](super::Width::shift); a shift of zero is the wrap
/// itself), as a mask. A step advances by 0 ≤ inc < 2³¹ units, so the shifted phase falls
/// (read as an `i32`) exactly when it overflows from positive to negative, which is where
/// it passes the cycle's end: one comparison.
#[inline(always)]
pub(super) fn crossing_mask<L: Lanes>(phase: L, next: L, shift: L) -> L {
    next.add_bits(shift).lt_bits(phase.add_bits(shift))
}

/// Step j's crossings of `edges` into `marks`: each kind's lane bits shift up by one and
/// take bit 0 where the lane crosses (taken from the last step back, bit j of a lane ends
/// up marking step j). Three integer operations per kind, no branch.
#[inline(always)]
fn mark_step<L: Lanes, const E: usize>(
    phases: &Phases<L>,
    edges: &[Edge<L>; E],
    marks: &mut [L; E],
    j: usize,
) {
    for (mark, edge) in marks.iter_mut().zip(edges) {
        // The mask is −1 in a crossing lane: doubling and subtracting it sets bit 0.
        let crossed = crossing_mask(phases[j], phases[j + 1], edge.shift);
        *mark = mark.add_bits(*mark).sub_bits(crossed);
    }
}

/// The naive waveform of `count` steps of shape `S` with `phases` into `buf[base + j]`
/// for step j: added to what the first `carried` slots hold, written over the rest.
/// Returns the steps that cross each of `edges`, bit j for step j, found without a branch:
/// the steps' crossings are collected per lane and the lanes' bits joined once at the end.
#[inline(always)]
pub(super) fn naive_steps<L: Lanes, S: Shape<L, E>, const N: usize, const E: usize>(
    (phases, steps): (&Phases<L>, &Steps<L>),
    buf: &mut [L; N],
    (base, count, carried): (usize, usize, usize),
    edges: &[Edge<L>; E],
) -> [u32; E] {
    const { assert!(MAX_STEPS <= 32) };
    let count = count.min(MAX_STEPS);
    let carried = carried.min(count);
    let mut marks = [L::splat(0.0); E];
    for j in (carried..count).rev() {
        buf[base + j] = S::naive(phases[j], steps);
        mark_step(phases, edges, &mut marks, j);
    }
    for j in (0..carried).rev() {
        let slot = &mut buf[base + j];
        *slot = *slot + S::naive(phases[j], steps);
        mark_step(phases, edges, &mut marks, j);
    }
    let mut found = [0; E];
    for (found, mark) in found.iter_mut().zip(marks) {
        *found = mark.or_lanes();
    }
    found
}

/// Add the correction of the crossings of `edge` in the step from phase `p` to `next` (the
/// lanes that cross it: see [`naive_steps`]) into `buf` at the step's `slot`, with
/// `S::fix`: from the fraction of a sample between the edge and the sample after the step,
/// the crossed lanes as a mask and the edge's height. O(1).
#[inline(always)]
pub(super) fn correct_crossing<L: Lanes, S: Shape<L, E>, const N: usize, const E: usize>(
    buf: &mut [L; N],
    slot: usize,
    (p, next): (L, L),
    steps: &Steps<L>,
    edge: Edge<L>,
) {
    let Edge { shift, height } = edge;
    let crossed = crossing_mask(p, next, shift);
    // The distance past the edge in plain units is below the increment, so the fraction
    // is at most 1, whatever the rounding.
    let past = next.add_bits(shift).xor(sign());
    let f = (past.bits_to_float() * steps.inv_inc).min(L::splat(1.0));
    S::fix(buf, slot, f, crossed, height);
}
