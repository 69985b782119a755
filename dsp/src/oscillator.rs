//! Band-limited oscillators with edge-scheduled corrections, rendered a control interval at
//! a time.
//!
//! At each control tick an oscillator takes the steps of the whole interval at once
//! ([`render_interval`]): a branch-free pass writes the naive waveform into a [`Window`] of
//! the interval's samples and notes which steps cross an edge, and a second pass adds the
//! whole band-limiting correction of each of those edges (all its taps, before and after the
//! edge) into the window. The audio-rate kernel then only reads the window, one slot per
//! sample. So the correction polynomials run once per edge, and no branch on an edge sits
//! in the per-sample loop: for a lane group, whose eight lanes cross edges at moments no
//! predictor can foresee, the only data-dependent branch left is the end of the short list
//! of edges in an interval.
//!
//! The phase runs [`LOOKAHEAD`] samples ahead of the output, because a step's taps reach two
//! samples before its edge: the interval that starts at tick t takes the steps of samples
//! t + 2 … t + 17, and its first two samples come from the steps the previous interval took.
//! The taps past the interval carry into the next one (see [`render_interval`]).
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
//! jump of the naive waveform gets exactly one correction.
//!
//! The look-ahead costs no latency: a starting oscillator renders the rest of the interval
//! into the window at once ([`prime`]), so a note still sounds from its exact sample. Changes
//! of pitch, waveform and pulse width reach the waveform [`LOOKAHEAD`] samples after the
//! control tick that makes them; after a waveform switch the pending corrections of the old
//! waveform's last edge play out (at most three samples). Everything here is tied to the
//! interval's absolute position, never to where a host's block starts, so block splits do
//! not change a sample.

use crate::blep::add_corner;
use crate::control::CONTROL_INTERVAL;
use crate::lanes::Lanes;
use crate::math::sin_centered;
use crate::patch::Waveform;

/// How many samples ahead of the output the phase runs: the B-spline step reaches two samples
/// before its edge.
pub const LOOKAHEAD: usize = 2;

/// Slots in an oscillator's window: slot k is sample t + k of the control interval that
/// starts at tick t. The interval's steps write slots [`LOOKAHEAD`] … `CONTROL_INTERVAL` + 1,
/// and the taps of the last one reach three slots further.
pub const WINDOW: usize = CONTROL_INTERVAL + LOOKAHEAD + 3;

/// The coming output samples of one oscillator (per lane) from the last control tick on.
pub type Window<L> = [L; WINDOW];

/// Slots a window carries from one interval into the next: the last [`LOOKAHEAD`] steps'
/// samples and the three slots of taps past them.
const CARRY: usize = WINDOW - CONTROL_INTERVAL;

/// Most steps one call takes: those of a whole interval and the [`LOOKAHEAD`] before it,
/// when an oscillator starts at a tick (see [`prime`]).
const MAX_STEPS: usize = CONTROL_INTERVAL + LOOKAHEAD;

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
/// [`Width::shift`]), in the sign bits. A shift of zero is the wrap itself.
#[inline(always)]
fn mark_lanes<L: Lanes>(phase: L, next: L, shift: L) -> L {
    wrap_lanes(phase.add_bits(shift), next.add_bits(shift))
}

/// The shift that moves the triangle's trough at ½ to the cycle's end: half a cycle, which
/// flips the sign bit.
#[inline(always)]
fn trough_shift<L: Lanes>() -> L {
    sign()
}

/// One kind of edge of a waveform: where it lies (the shift that moves it to the cycle's
/// end, see [`mark_lanes`]) and the height of its jump (of the value for a step, of the
/// slope per sample for a corner).
#[derive(Clone, Copy)]
struct Edge<L> {
    shift: L,
    height: L,
}

/// The phases of one call's steps: `phases[j]` is the phase before step j, and the one
/// after the last step follows it.
type Phases<L> = [L; MAX_STEPS + 1];

/// The steps that cross each edge kind e, bit 32e + j for step j.
type Crossings = u64;

/// The phases of steps from `phase` by `inc` (see [`Phases`]).
#[inline(always)]
fn phases<L: Lanes>(phase: L, inc: L) -> Phases<L> {
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
fn naive_steps<L: Lanes, const N: usize, const E: usize>(
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
fn correct<L: Lanes, const N: usize>(
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

/// Correct a step edge (saw and pulse) in the `crossed` lanes (see [`correct`]).
#[inline(always)]
fn step<L: Lanes, const N: usize>(buf: &mut [L; N], s: usize, f: L, crossed: L, height: L) {
    L::add_step_in(buf, s, crossed, f, height);
}

/// Correct a corner (the triangle's peak and trough) in the `crossed` lanes.
#[inline(always)]
fn corner<L: Lanes, const N: usize>(buf: &mut [L; N], s: usize, f: L, crossed: L, height: L) {
    add_corner(buf, s, (f, crossed.and(height)));
}

/// Take `count` steps of `wave` from `phase` (at most [`MAX_STEPS`]): the naive waveform of
/// step j goes into `buf[base + j]` (added to the first `carried` slots' taps, written over
/// the others), then the corrections of every edge the steps cross, each added into the
/// slots from two before its step to three after (`base` ≥ 2, and `base + count + 3` ≤ N).
/// Allocation-free, O(count + edges).
#[inline(always)]
fn run_steps<L: Lanes, const N: usize>(
    wave: Waveform,
    phase: &mut L,
    steps: Steps<L>,
    buf: &mut [L; N],
    at: (usize, usize, usize),
) {
    let zero = L::splat(0.0);
    let phases = phases(*phase, steps.inc);
    *phase = phases[at.1.min(MAX_STEPS)];
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
            let found = naive_steps(
                &phases,
                buf,
                at,
                #[inline(always)]
                |p| naive_saw(p),
                &edges,
            );
            correct(
                buf,
                steps,
                at.0,
                (&phases, found),
                &edges,
                #[inline(always)]
                |b: &mut [L; N], s, f, crossed, height| step(b, s, f, crossed, height),
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
            let found = naive_steps(
                &phases,
                buf,
                at,
                #[inline(always)]
                |p: L| p.lt_bits(w.mark).and(L::splat(2.0)) - (w.pw + w.pw),
                &edges,
            );
            correct(
                buf,
                steps,
                at.0,
                (&phases, found),
                &edges,
                #[inline(always)]
                |b: &mut [L; N], s, f, crossed, height| step(b, s, f, crossed, height),
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
            let found = naive_steps(
                &phases,
                buf,
                at,
                #[inline(always)]
                |p| naive_triangle(p),
                &edges,
            );
            correct(
                buf,
                steps,
                at.0,
                (&phases, found),
                &edges,
                #[inline(always)]
                |b: &mut [L; N], s, f, crossed, height| corner(b, s, f, crossed, height),
            );
        }
    }
}

/// Move an oscillator's window on to the control interval that starts now and take the
/// interval's steps into it. The first slots take what the previous interval left past its
/// end (its last two steps, complete but for the taps of this interval's first edges, and
/// the taps that reach past them); the steps write over the rest, and the slots past them
/// start from zero, so no sample is left from before. Allocation-free, O(`CONTROL_INTERVAL` + edges).
#[inline(always)]
pub fn render_interval<L: Lanes>(
    wave: Waveform,
    phase: &mut L,
    steps: Steps<L>,
    window: &mut Window<L>,
) {
    // Element by element: the slices' library calls cost more than these few moves.
    for k in 0..CARRY {
        window[k] = window[k + CONTROL_INTERVAL];
    }
    for slot in &mut window[MAX_STEPS..] {
        *slot = L::splat(0.0);
    }
    let at = (LOOKAHEAD, CONTROL_INTERVAL, CARRY - LOOKAHEAD);
    run_steps(wave, phase, steps, window, at);
}

/// (Re)start an oscillator whose phase is `phase` at slot `first` of the current interval's
/// window (0 ≤ `first` < `CONTROL_INTERVAL`): take its steps from that sample to the end of
/// the steps the interval takes, into the window's slots from `first` on (clearing what the
/// lanes held there), for the lanes set in `mask` only (the others are untouched). The taps
/// that edges in the first steps would put before slot `first` are dropped: the oscillator
/// did not sound then. Allocation-free, O(`CONTROL_INTERVAL`).
#[inline(always)]
pub fn prime<L: Lanes>(
    wave: Waveform,
    phase: &mut L,
    steps: Steps<L>,
    window: &mut Window<L>,
    first: usize,
    mask: L,
) {
    let first = first.min(CONTROL_INTERVAL - 1);
    // Slot k of the window is slot k + LOOKAHEAD of the scratch, which holds the taps of
    // the first steps that reach before the window's slot `first`.
    let mut scratch = [L::splat(0.0); WINDOW + LOOKAHEAD];
    let mut p = *phase;
    let at = (first + LOOKAHEAD, MAX_STEPS - first, 0);
    run_steps(wave, &mut p, steps, &mut scratch, at);
    *phase = mask.select(p, *phase);
    for (slot, new) in window[first..]
        .iter_mut()
        .zip(&scratch[first + LOOKAHEAD..])
    {
        *slot = mask.select(*new, *slot);
    }
}

/// A free-running oscillator with its own window, for analysis and tests (the engine keeps
/// the same state per lane group in `VoiceGroup`).
#[derive(Clone, Copy, Debug)]
pub struct Oscillator {
    wave: Waveform,
    steps: Steps<f32>,
    phase: f32,
    window: Window<f32>,
    /// The window slot of the next sample.
    slot: usize,
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
            window: [0.0; WINDOW],
            slot: 0,
        };
        prime(
            wave,
            &mut osc.phase,
            osc.steps,
            &mut osc.window,
            0,
            f32::from_bits(!0),
        );
        osc
    }

    /// The next output sample. Allocation-free, O(1) (a whole interval's steps every
    /// `CONTROL_INTERVAL` samples).
    pub fn next_sample(&mut self) -> f32 {
        let Self {
            wave,
            steps,
            phase,
            window,
            slot,
        } = self;
        play(*wave, phase, *steps, window, slot)
    }
}

/// The sample at `slot` of `window`, then the slot moves on; at the end of the interval the
/// window first moves on to the next one (see [`render_interval`]), as the engine's control
/// tick does. Allocation-free, O(1) (a whole interval's steps every `CONTROL_INTERVAL` calls).
fn play<L: Lanes>(
    wave: Waveform,
    phase: &mut L,
    steps: Steps<L>,
    window: &mut Window<L>,
    slot: &mut usize,
) -> L {
    if *slot == CONTROL_INTERVAL {
        render_interval(wave, phase, steps, window);
        *slot = 0;
    }
    let out = window[*slot];
    *slot += 1;
    out
}

#[cfg(test)]
#[path = "oscillator_tests.rs"]
mod tests;
