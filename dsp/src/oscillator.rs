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
//! wrap is a step whose `i32` falls (`next < phase`): one comparison. A mark at m (the
//! pulse width, or the triangle's trough) is found the same way on the phase minus m. The
//! naive saw is the phase converted to a float, scaled.
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

use crate::control::CONTROL_INTERVAL;
use crate::lanes::Lanes;
use crate::patch::Waveform;
use waves::{batch_intervals, run_steps};

mod edges;
mod waves;

/// How many samples ahead of the output the phase runs: the B-spline step reaches two samples
/// before its edge.
pub const LOOKAHEAD: usize = 2;

/// Slots in an oscillator's window: slot k is sample t + k of the control interval that
/// starts at tick t. The interval's steps write slots [`LOOKAHEAD`] … `CONTROL_INTERVAL` + 1,
/// and the taps of the last one reach three slots further.
pub const WINDOW: usize = CONTROL_INTERVAL + LOOKAHEAD + 3;

/// The coming output samples of one oscillator (per lane) from the last control tick on.
pub type Window<L> = [L; WINDOW];

/// Oscillators [`render_intervals`] takes in one batch: their crossings make one set of 128
/// bits, 32 for each (16 per edge kind, one per step). The walk over a set of crossings ends
/// after a number of them no processor can foresee; a batch ends it once where each
/// oscillator would, measured in session 19 at about one mispredicted branch per lane group
/// and oscillator. Callers that take the groups a few at a time take this many.
pub const BATCH: usize = 4;

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

    /// A width worked out once (see [`Width::new`]) in every lane.
    #[inline(always)]
    pub fn splat(width: Width<f32>) -> Self {
        Self {
            pw: L::splat(width.pw),
            mark: L::splat(width.mark),
            shift: L::splat(width.shift),
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

/// One oscillator of a lane group as a pass over the groups reaches it: its phase, its
/// window and what it steps by.
pub struct OscillatorState<'a, L> {
    /// The phase of the next step.
    pub phase: &'a mut L,
    /// The window of coming samples.
    pub window: &'a mut Window<L>,
    /// The increment and the pulse width.
    pub steps: Steps<L>,
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
    render_intervals(
        wave,
        &mut [(phase, window)],
        #[inline(always)]
        |(phase, window): &mut (&mut L, &mut Window<L>)| OscillatorState::<L> {
            phase,
            window,
            steps,
        },
    );
}

/// [`render_interval`] for the oscillators `osc` picks out of `groups`, a few at a time:
/// each batch's corrections run in one pass after the naive waveforms of all its
/// oscillators. The samples are the same as one oscillator at a time. Allocation-free,
/// O(groups × (`CONTROL_INTERVAL` + edges)).
#[inline(always)]
pub fn render_intervals<L: Lanes, G>(
    wave: Waveform,
    groups: &mut [G],
    osc: impl Fn(&mut G) -> OscillatorState<'_, L>,
) {
    for batch in groups.chunks_mut(BATCH) {
        batch_intervals(wave, batch, &osc);
    }
}

/// Move a window on to the interval that starts now: the slots past the last one carry to
/// the front, and the rest are cleared for the interval's steps.
#[inline(always)]
fn move_on<L: Lanes>(window: &mut Window<L>) {
    // Element by element: the slices' library calls cost more than these few moves.
    for k in 0..CARRY {
        window[k] = window[k + CONTROL_INTERVAL];
    }
    for slot in &mut window[MAX_STEPS..] {
        *slot = L::splat(0.0);
    }
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

#[cfg(test)]
#[path = "oscillator_interval_tests.rs"]
mod interval_tests;
