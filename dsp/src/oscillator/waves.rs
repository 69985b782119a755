//! The four waveforms as the oscillator steps them ([`Shape`]: each one's naive shape at a
//! phase, the edges it has — where they lie and how high they jump — and the correction
//! of a crossing), and the two ways steps are taken: [`run_steps`] for one oscillator, and
//! [`batch_intervals`] for the intervals of a batch of oscillators at a tick, whose
//! corrections run in one pass. See the [`oscillator`](super) module for the phase
//! encoding and the window.

use super::edges::{Edge, correct_crossing, naive_steps, phases, trough_shift};
use super::{
    BATCH, CARRY, CYCLE, LOOKAHEAD, MAX_STEPS, OscillatorState, SAW_SCALE, Steps, WINDOW, move_on,
};
use crate::blep::add_corner;
use crate::control::CONTROL_INTERVAL;
use crate::lanes::Lanes;
use crate::math::sin_centered;
use crate::patch::Waveform;

/// A waveform as the oscillator steps it, with `E` kinds of edge (0 for the sine, 1 for
/// the saw, 2 for the pulse and the triangle).
pub(super) trait Shape<L: Lanes, const E: usize> {
    /// The naive waveform at phase `p`.
    fn naive(p: L, steps: &Steps<L>) -> L;
    /// The kinds of edge, for the oscillator stepping by `steps`.
    fn edges(steps: &Steps<L>) -> [Edge<L>; E];
    /// Add the correction of an edge of `height` lying `f` samples before sample s + 1 into
    /// `buf`, in the `crossed` lanes: the band-limited step's, unless the shape's edges are
    /// corners.
    #[inline(always)]
    fn fix<const N: usize>(buf: &mut [L; N], s: usize, f: L, crossed: L, height: L) {
        L::add_step_in(buf, s, crossed, f, height);
    }
}

/// The sine: no edges.
struct Sine;
/// The saw: a step of −2 at the cycle's end.
struct Saw;
/// The pulse: +1 while the phase is below the width, −1 after, minus the DC offset
/// 2·width − 1; steps of +2 at the cycle's end and −2 at the width.
struct Pulse;
/// The triangle: 4·|p − ½| − 1, corners at the cycle's end and at ½.
struct Triangle;

impl<L: Lanes> Shape<L, 0> for Sine {
    #[inline(always)]
    fn naive(p: L, _: &Steps<L>) -> L {
        sin_centered(p.bits_to_float() * L::splat(-0.5 * SAW_SCALE))
    }
    #[inline(always)]
    fn edges(_: &Steps<L>) -> [Edge<L>; 0] {
        []
    }
    #[inline(always)]
    fn fix<const N: usize>(_: &mut [L; N], _: usize, _: L, _: L, _: L) {}
}

impl<L: Lanes> Shape<L, 1> for Saw {
    #[inline(always)]
    fn naive(p: L, _: &Steps<L>) -> L {
        p.bits_to_float() * L::splat(SAW_SCALE)
    }
    #[inline(always)]
    fn edges(_: &Steps<L>) -> [Edge<L>; 1] {
        [Edge {
            shift: L::splat(0.0),
            height: L::splat(-2.0),
        }]
    }
}

impl<L: Lanes> Shape<L, 2> for Pulse {
    #[inline(always)]
    fn naive(p: L, steps: &Steps<L>) -> L {
        let w = steps.width;
        p.lt_bits(w.mark).and(L::splat(2.0)) - (w.pw + w.pw)
    }
    #[inline(always)]
    fn edges(steps: &Steps<L>) -> [Edge<L>; 2] {
        [
            Edge {
                shift: L::splat(0.0),
                height: L::splat(2.0),
            },
            Edge {
                shift: steps.width.shift,
                height: L::splat(-2.0),
            },
        ]
    }
}

impl<L: Lanes> Shape<L, 2> for Triangle {
    /// |p − ½| is the phase's `i32` over 2³².
    #[inline(always)]
    fn naive(p: L, _: &Steps<L>) -> L {
        p.bits_to_float()
            .abs()
            .mul_add(L::splat(0.5 * SAW_SCALE * 4.0), -L::splat(1.0))
    }
    /// The slope turns by 8 per cycle (8·dt per sample) at the peak and the trough.
    #[inline(always)]
    fn edges(steps: &Steps<L>) -> [Edge<L>; 2] {
        let turn = steps.inc.bits_to_float() * L::splat(8.0 / CYCLE as f32);
        [
            Edge {
                shift: L::splat(0.0),
                height: -turn,
            },
            Edge {
                shift: trough_shift(),
                height: turn,
            },
        ]
    }
    #[inline(always)]
    fn fix<const N: usize>(buf: &mut [L; N], s: usize, f: L, crossed: L, height: L) {
        add_corner(buf, s, (f, crossed.and(height)));
    }
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
    match wave {
        Waveform::Sine => run_shape::<L, Sine, N, 0>(phase, steps, buf, at),
        Waveform::Saw => run_shape::<L, Saw, N, 1>(phase, steps, buf, at),
        Waveform::Pulse => run_shape::<L, Pulse, N, 2>(phase, steps, buf, at),
        Waveform::Triangle => run_shape::<L, Triangle, N, 2>(phase, steps, buf, at),
    }
}

/// [`run_steps`] for shape `S`. Edge kind by kind, each in the order of the steps.
#[inline(always)]
fn run_shape<L: Lanes, S: Shape<L, E>, const N: usize, const E: usize>(
    phase: &mut L,
    steps: Steps<L>,
    buf: &mut [L; N],
    at: (usize, usize, usize),
) {
    let phases = phases(*phase, steps.inc);
    *phase = phases[at.1.min(MAX_STEPS)];
    let edges = S::edges(&steps);
    let found = naive_steps::<L, S, N, E>((&phases, &steps), buf, at, &edges);
    for (edge, mut crossings) in edges.into_iter().zip(found) {
        while crossings != 0 {
            let j = crossings.trailing_zeros() as usize;
            crossings &= crossings - 1;
            let step = (phases[j], phases[j + 1]);
            correct_crossing::<L, S, N, E>(buf, at.0 + j, step, &steps, edge);
        }
    }
}

// A batch's crossings fit its set: two kinds of 16 steps for each oscillator.
const _: () = assert!(CONTROL_INTERVAL <= 16 && BATCH * 32 <= 128);

/// Move the oscillators `osc` picks out of `batch` (at most [`BATCH`]) on to the control
/// interval that starts now and take its steps of `wave` into their windows (see
/// `render_interval`): first the naive waveform of each, collecting the steps that cross
/// an edge, then the corrections of all of them in one pass. Each window gets its
/// corrections in the order [`run_steps`] adds them, so the samples are the same as one
/// oscillator at a time. Allocation-free, O(`CONTROL_INTERVAL` + edges) per oscillator.
#[inline(always)]
pub(super) fn batch_intervals<L: Lanes, G>(
    wave: Waveform,
    batch: &mut [G],
    osc: &impl Fn(&mut G) -> OscillatorState<'_, L>,
) {
    match wave {
        Waveform::Sine => batch_shape::<L, G, Sine, 0>(batch, osc),
        Waveform::Saw => batch_shape::<L, G, Saw, 1>(batch, osc),
        Waveform::Pulse => batch_shape::<L, G, Pulse, 2>(batch, osc),
        Waveform::Triangle => batch_shape::<L, G, Triangle, 2>(batch, osc),
    }
}

/// [`batch_intervals`] for shape `S`.
#[inline(always)]
fn batch_shape<L: Lanes, G, S: Shape<L, E>, const E: usize>(
    batch: &mut [G],
    osc: &impl Fn(&mut G) -> OscillatorState<'_, L>,
) {
    let count = batch.len().min(BATCH);
    let batch = &mut batch[..count];
    let at = (LOOKAHEAD, CONTROL_INTERVAL, CARRY - LOOKAHEAD);
    // The phases before the interval: a crossing's step is worked out again from them
    // (exactly, in the phases' integers), cheaper than keeping every step's phase.
    let mut starts = [L::splat(0.0); BATCH];
    // Bit 32i + 16e + j: step j of oscillator i crosses edge kind e.
    let mut crossings = 0u128;
    for (i, (g, start)) in batch.iter_mut().zip(&mut starts).enumerate() {
        let OscillatorState {
            phase,
            window,
            steps,
        } = osc(g);
        *start = *phase;
        move_on(window);
        let phases = phases(*phase, steps.inc);
        *phase = phases[CONTROL_INTERVAL];
        let edges = S::edges(&steps);
        let found = naive_steps::<L, S, WINDOW, E>((&phases, &steps), window, at, &edges);
        for (e, found) in found.into_iter().enumerate() {
            crossings |= u128::from(found) << (32 * i + 16 * e);
        }
    }
    while crossings != 0 {
        let bit = crossings.trailing_zeros() as usize;
        crossings &= crossings - 1;
        let (i, e, j) = (bit / 32, bit / 16 % 2, bit % 16);
        let (Some(g), Some(&start)) = (batch.get_mut(i), starts.get(i)) else {
            continue;
        };
        let OscillatorState { window, steps, .. } = osc(g);
        let Some(&edge) = S::edges(&steps).get(e) else {
            continue;
        };
        let p = start.add_bits(steps.inc.mul_bits(L::splat(f32::from_bits(j as u32))));
        let step = (p, p.add_bits(steps.inc));
        correct_crossing::<L, S, WINDOW, E>(window, LOOKAHEAD + j, step, &steps, edge);
    }
}
