//! Finding and correcting a waveform's edges over one call's steps: the phases of the
//! steps, which steps cross each kind of edge (one integer comparison per step and kind, no
//! branch), and the band-limiting correction of each crossing, edge by edge. See the
//! [`oscillator`](super) module for the phase encoding and the window.

use super::{MAX_STEPS, Steps};
use crate::blep::add_corner;
use crate::lanes::Lanes;

/// The lanes' sign bits: xor flips a phase between the encoding and plain units.
#[inline(always)]
pub(super) fn sign<L: Lanes>() -> L {
    L::splat(-0.0)
}

/// The lanes whose step from `phase` to `next` wraps, in the sign bits: where the phase's
/// `i32` overflows from positive to negative.
#[inline(always)]
pub(super) fn wrap_lanes<L: Lanes>(phase: L, next: L) -> L {
    next.but_not(phase)
}

/// The lanes whose step passes the mark that `shift` moves to the cycle's end (see
/// [`Width::shift`](super::Width::shift)), in the sign bits. A shift of zero is the wrap itself.
#[inline(always)]
pub(super) fn mark_lanes<L: Lanes>(phase: L, next: L, shift: L) -> L {
    wrap_lanes(phase.add_bits(shift), next.add_bits(shift))
}

/// The shift that moves the triangle's trough at ½ to the cycle's end: half a cycle, which
/// flips the sign bit.
#[inline(always)]
pub(super) fn trough_shift<L: Lanes>() -> L {
    sign()
}

/// One kind of edge of a waveform: where it lies (the shift that moves it to the cycle's
/// end, see [`mark_lanes`]) and the height of its jump (of the value for a step, of the
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

/// The steps that cross each edge kind e, bit 32e + j for step j.
pub(super) type Crossings = u64;

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

/// The bits of [`Crossings`] for step j of `phases`: one per edge the step crosses.
#[inline(always)]
fn crossings_of<L: Lanes, const E: usize>(
    phases: &Phases<L>,
    edges: &[Edge<L>; E],
    j: usize,
) -> Crossings {
    let mut crossings = 0;
    for (e, edge) in edges.iter().enumerate() {
        let crossed = mark_lanes(phases[j], phases[j + 1], edge.shift).bitmask() != 0;
        crossings |= Crossings::from(crossed) << (32 * e + j);
    }
    crossings
}

/// The naive waveform `naive` of `count` steps with `phases` into `buf[base + j]` for step
/// j: added to what the first `carried` slots hold, written over the rest. Returns the
/// steps that cross each of `edges`, found without a branch.
#[inline(always)]
pub(super) fn naive_steps<L: Lanes, const N: usize, const E: usize>(
    phases: &Phases<L>,
    buf: &mut [L; N],
    (base, count, carried): (usize, usize, usize),
    naive: impl Fn(L) -> L,
    edges: &[Edge<L>; E],
) -> Crossings {
    let count = count.min(MAX_STEPS);
    let carried = carried.min(count);
    let mut crossings: Crossings = 0;
    for j in 0..carried {
        let slot = &mut buf[base + j];
        *slot = *slot + naive(phases[j]);
        crossings |= crossings_of(phases, edges, j);
    }
    for j in carried..count {
        buf[base + j] = naive(phases[j]);
        crossings |= crossings_of(phases, edges, j);
    }
    crossings
}

/// Add the corrections of the `crossings` of `edges` (see [`naive_steps`]) with
/// `correct(buf, slot, f, crossed, height)`: the step's slot, the fraction of a sample
/// between the edge and the sample after the step, the crossed lanes as a mask and the
/// edge's height. Edge kind by kind, each in the order of the steps. O(crossings).
#[inline(always)]
pub(super) fn correct<L: Lanes, const N: usize>(
    buf: &mut [L; N],
    steps: Steps<L>,
    base: usize,
    (phases, mut crossings): (&Phases<L>, Crossings),
    edges: &[Edge<L>],
    correct: impl Fn(&mut [L; N], usize, L, L, L),
) {
    while crossings != 0 {
        let bit = crossings.trailing_zeros() as usize;
        crossings &= crossings - 1;
        let (j, e) = (bit % 32, bit / 32);
        let Edge { shift, height } = edges[e];
        let (p, next) = (phases[j], phases[j + 1]);
        let crossed = mark_lanes(p, next, shift).sign_mask();
        // The distance past the edge in plain units is below the increment, so the fraction
        // is at most 1, whatever the rounding.
        let past = next.add_bits(shift).xor(sign());
        let f = (past.bits_to_float() * steps.inv_inc).min(L::splat(1.0));
        correct(buf, base + j, f, crossed, height);
    }
}

/// Correct a step edge (saw and pulse) in the `crossed` lanes (see [`correct`]).
#[inline(always)]
pub(super) fn step<L: Lanes, const N: usize>(
    buf: &mut [L; N],
    s: usize,
    f: L,
    crossed: L,
    height: L,
) {
    L::add_step_in(buf, s, crossed, f, height);
}

/// Correct a corner (the triangle's peak and trough) in the `crossed` lanes.
#[inline(always)]
pub(super) fn corner<L: Lanes, const N: usize>(
    buf: &mut [L; N],
    s: usize,
    f: L,
    crossed: L,
    height: L,
) {
    add_corner(buf, s, (f, crossed.and(height)));
}
