//! The four waveforms as the oscillator steps them: each one's naive shape at a phase and
//! the edges it has (where they lie and how high they jump), and [`run_steps`], which takes
//! a call's steps of one waveform and corrects its edges. See the
//! [`oscillator`](super) module for the phase encoding and the window.

use super::edges::{Edge, Phases, corner, correct, naive_steps, phases, step, trough_shift};
use super::{CYCLE, MAX_STEPS, SAW_SCALE, Steps};
use crate::lanes::Lanes;
use crate::math::sin_centered;
use crate::patch::Waveform;

/// The naive sine at phase `p`.
#[inline(always)]
fn naive_sine<L: Lanes>(p: L) -> L {
    sin_centered(p.bits_to_float() * L::splat(-0.5 * SAW_SCALE))
}

/// The naive saw at phase `p`.
#[inline(always)]
fn naive_saw<L: Lanes>(p: L) -> L {
    p.bits_to_float() * L::splat(SAW_SCALE)
}

/// The naive triangle at phase `p`: 4·|p − ½| − 1, and |p − ½| is the phase's `i32` over
/// 2³².
#[inline(always)]
fn naive_triangle<L: Lanes>(p: L) -> L {
    p.bits_to_float()
        .abs()
        .mul_add(L::splat(0.5 * SAW_SCALE * 4.0), -L::splat(1.0))
}

/// The naive waveform `naive` of the steps `phases` into `buf` at `at` (see
/// [`run_steps`]), then the correction `fix` of every crossing of `edges`: a step (saw,
/// pulse) or a corner (triangle). Allocation-free, O(count + edges).
#[inline(always)]
fn edged<L: Lanes, const N: usize, const E: usize>(
    (phases, steps): (&Phases<L>, Steps<L>),
    buf: &mut [L; N],
    at: (usize, usize, usize),
    naive: impl Fn(L) -> L,
    (edges, fix): (&[Edge<L>; E], impl Fn(&mut [L; N], usize, L, L, L)),
) {
    let found = naive_steps(phases, buf, at, naive, edges);
    correct(buf, steps, at.0, (phases, found), edges, fix);
}

/// Take `count` steps of `wave` from `phase` (at most [`MAX_STEPS`]): the naive waveform of
/// step j goes into `buf[base + j]` (added to the first `carried` slots' taps, written over
/// the others), then the corrections of every edge the steps cross, each added into the
/// slots from two before its step to three after (`base` ≥ 2, and `base + count + 3` ≤ N).
/// Allocation-free, O(count + edges).
#[inline(always)]
pub(super) fn run_steps<L: Lanes, const N: usize>(
    wave: Waveform,
    phase: &mut L,
    steps: Steps<L>,
    buf: &mut [L; N],
    at: (usize, usize, usize),
) {
    let zero = L::splat(0.0);
    let phases = phases(*phase, steps.inc);
    *phase = phases[at.1.min(MAX_STEPS)];
    let stepped = (&phases, steps);
    match wave {
        Waveform::Sine => {
            naive_steps::<L, N, 0>(
                &phases,
                buf,
                at,
                #[inline(always)]
                |p| naive_sine(p),
                &[],
            );
        }
        Waveform::Saw => {
            let edges = [Edge {
                shift: zero,
                height: L::splat(-2.0),
            }];
            edged(
                stepped,
                buf,
                at,
                #[inline(always)]
                |p| naive_saw(p),
                (
                    &edges,
                    #[inline(always)]
                    |b: &mut [L; N], s, f, crossed, height| step(b, s, f, crossed, height),
                ),
            );
        }
        Waveform::Pulse => {
            // +1 while p < pw, −1 after, minus the DC offset 2pw − 1.
            let w = steps.width;
            let edges = [
                Edge {
                    shift: zero,
                    height: L::splat(2.0),
                },
                Edge {
                    shift: w.shift,
                    height: L::splat(-2.0),
                },
            ];
            edged(
                stepped,
                buf,
                at,
                #[inline(always)]
                |p: L| p.lt_bits(w.mark).and(L::splat(2.0)) - (w.pw + w.pw),
                (
                    &edges,
                    #[inline(always)]
                    |b: &mut [L; N], s, f, crossed, height| step(b, s, f, crossed, height),
                ),
            );
        }
        Waveform::Triangle => {
            // The slope turns by 8 per cycle (8·dt per sample) at the peak and the trough.
            let turn = steps.inc.bits_to_float() * L::splat(8.0 / CYCLE as f32);
            let edges = [
                Edge {
                    shift: zero,
                    height: -turn,
                },
                Edge {
                    shift: trough_shift(),
                    height: turn,
                },
            ];
            edged(
                stepped,
                buf,
                at,
                #[inline(always)]
                |p| naive_triangle(p),
                (
                    &edges,
                    #[inline(always)]
                    |b: &mut [L; N], s, f, crossed, height| corner(b, s, f, crossed, height),
                ),
            );
        }
    }
}
