//! What a run of samples is rendered from: the values every voice shares for the run, the
//! source levels of its samples, and the oscillators' passes at ticks and note-ons that
//! fill the windows the kernel (`kernel`) reads. Allocation-free.

use crate::control::CONTROL_INTERVAL;
use crate::lanes::Lanes;
use crate::noise::SCALE;
use crate::oscillator::{BATCH, OscillatorState, Steps, Width, prime, render_intervals};
use crate::patch::{FilterMode, Waveform};
use crate::voice_group::VoiceGroup;

// The noise takes two samples from each generator step, by the parity of the absolute
// sample position, which `tick_pos` keeps only if the interval is even.
const _: () = assert!(CONTROL_INTERVAL.is_multiple_of(2));

/// Values shared by every voice for one run of samples (they change only at control ticks).
#[derive(Clone, Copy, Debug, Default)]
pub struct RunParams {
    /// Oscillator 1 waveform.
    pub wave1: Waveform,
    /// Oscillator 2 waveform.
    pub wave2: Waveform,
    /// Oscillator 1's pulse width in the forms the oscillator uses (worked out once per
    /// tick, and kept while the width holds: from the width in cycles they take a division
    /// of `f64`s).
    pub width1: Width<f32>,
    /// Oscillator 2's pulse width.
    pub width2: Width<f32>,
    /// Oscillator 1 level at the control tick and its step per sample.
    pub level1: (f32, f32),
    /// Oscillator 2 level and step.
    pub level2: (f32, f32),
    /// Noise level and step.
    pub noise: (f32, f32),
    /// Drive gain into the saturator (1 = no drive: the saturator is bypassed).
    pub drive_in: f32,
    /// Gain after the saturator.
    pub drive_out: f32,
    /// Filter response.
    pub mode: FilterMode,
    /// Resonant stage damping k = 1/Q.
    pub k: f32,
    /// Samples since the last control tick at the run's first sample.
    pub tick_pos: usize,
}

/// Per-sample source levels (oscillator 1, oscillator 2, noise), splatted for the groups,
/// which multiply by them straight from memory. The noise level is in the noise's unit
/// (times `noise::SCALE`, see `Lanes::audio_noise`).
pub type SourceLevels<L> = [L; 3];

/// The source levels of each sample of a run (see [`SourceLevels`]). They are rewritten
/// only when they ramp or change: steady levels, the usual case, cost nothing per sample.
pub struct LevelRamps<L: Lanes> {
    levels: [SourceLevels<L>; CONTROL_INTERVAL],
    /// The levels every entry holds, if they are steady.
    steady: Option<[(f32, f32); 3]>,
}

impl<L: Lanes> Default for LevelRamps<L> {
    fn default() -> Self {
        Self {
            levels: [[L::splat(0.0); 3]; CONTROL_INTERVAL],
            steady: None,
        }
    }
}

impl<L: Lanes> LevelRamps<L> {
    /// The levels of the run's `n` samples (at most `CONTROL_INTERVAL`). Allocation-free;
    /// O(n) when the levels ramp or have just changed, O(1) while they hold.
    #[inline(always)]
    pub fn for_run(&mut self, run: &RunParams, n: usize) -> &[SourceLevels<L>] {
        // The noise level carries the noise's unit (see `Lanes::audio_noise`): a power of
        // two, so the level times the noise rounds as the level times noise in −1 … 1.
        let (noise, step) = run.noise;
        let ramps = [run.level1, run.level2, (noise * SCALE, step * SCALE)];
        // `steady` holds only levels whose steps are all zero, so matching it is enough.
        if self.steady != Some(ramps) {
            self.fill(run, ramps, n);
        }
        &self.levels[..n]
    }

    /// Rewrite the entries of a run whose levels ramp or have changed (all of them when
    /// the new levels hold). Out of line, to keep the steady path small, and so in a
    /// function apart of the lanes' own (`Lanes::native`): left to the caller's boundary,
    /// the run-time AVX2 lanes' splats became calls, 48 of them per ramping run.
    #[inline(never)]
    fn fill(&mut self, run: &RunParams, ramps: [(f32, f32); 3], n: usize) {
        L::native(
            #[inline(always)]
            || self.fill_entries(run, ramps, n),
        );
    }

    /// The body of [`LevelRamps::fill`].
    #[inline(always)]
    fn fill_entries(&mut self, run: &RunParams, ramps: [(f32, f32); 3], n: usize) {
        // Plain loops: `array::map` and iterator closures would stay calls here.
        let mut steady = true;
        for (_, step) in ramps {
            steady &= step == 0.0;
        }
        // Steady levels fill every entry, for the runs that follow.
        let filled = if steady { CONTROL_INTERVAL } else { n };
        for (i, levels) in self.levels[..filled].iter_mut().enumerate() {
            let pos = (run.tick_pos + i) as f32;
            for (level, (start, step)) in levels.iter_mut().zip(ramps) {
                *level = L::splat(start + step * pos);
            }
        }
        self.steady = steady.then_some(ramps);
    }
}

/// Whether each oscillator runs during `run` (a silent one keeps its phase and ring still).
pub fn oscillators_on(run: &RunParams) -> [bool; 2] {
    [run.level1 != (0.0, 0.0), run.level2 != (0.0, 0.0)]
}

/// (Re)start the oscillators picked by `which` in the lanes of `mask` at slot `first` of the
/// control interval (see [`prime`]): for new notes, and for every voice when a silent
/// oscillator comes back. Allocation-free, O(`CONTROL_INTERVAL`).
#[inline(always)]
pub fn prime_oscillators<L: Lanes>(
    g: &mut VoiceGroup<L>,
    run: &RunParams,
    first: usize,
    mask: L,
    which: [bool; 2],
) {
    let width = [run.width1, run.width2].map(Width::splat);
    prime_with(g, run, &width, (first, mask), which);
}

/// [`prime_oscillators`] with the run's pulse widths already in their forms.
#[inline(always)]
fn prime_with<L: Lanes>(
    g: &mut VoiceGroup<L>,
    run: &RunParams,
    width: &[Width<L>; 2],
    (first, mask): (usize, L),
    which: [bool; 2],
) {
    if which[0] {
        let o = oscillator(g, false, width);
        prime(run.wave1, o.phase, o.steps, o.window, first, mask);
    }
    if which[1] {
        let o = oscillator(g, true, width);
        prime(run.wave2, o.phase, o.steps, o.window, first, mask);
    }
}

/// Take the steps of the control interval that starts now into the windows of the sounding
/// oscillators of every group (see [`render_intervals`]), or, for the oscillators picked by
/// `restart` (silent until now), start them again from their held phases. Call once per
/// control tick, after the tick's pitches are in place and before its events.
/// Allocation-free, O(groups × (`CONTROL_INTERVAL` + edges)).
#[inline(always)]
pub fn render_oscillators<L: Lanes>(
    groups: &mut [VoiceGroup<L>],
    run: &RunParams,
    restart: [bool; 2],
) {
    let width = [run.width1, run.width2].map(Width::splat);
    let on = oscillators_on(run);
    let go = [0, 1].map(|i| on[i] && !restart[i]);
    // A few groups at a time, both oscillators, while the groups are in the cache.
    for batch in groups.chunks_mut(BATCH) {
        // Each oscillator a pass of its own, the choice of fields made where it is written.
        if go[0] {
            render_intervals(
                run.wave1,
                batch,
                #[inline(always)]
                |g: &mut VoiceGroup<L>| oscillator(g, false, &width),
            );
        }
        if go[1] {
            render_intervals(
                run.wave2,
                batch,
                #[inline(always)]
                |g: &mut VoiceGroup<L>| oscillator(g, true, &width),
            );
        }
        if restart.contains(&true) {
            for g in batch {
                prime_with(g, run, &width, (0, L::all_set()), restart);
            }
        }
    }
}

/// A group's oscillator 1, or 2 if `second`: its phase, its window and what it steps by.
#[inline(always)]
fn oscillator<'a, L: Lanes>(
    g: &'a mut VoiceGroup<L>,
    second: bool,
    width: &[Width<L>; 2],
) -> OscillatorState<'a, L> {
    let (phase, window, inc, inv_inc) = if second {
        (&mut g.phase2, &mut g.window2, g.inc2, g.inv_inc2)
    } else {
        (&mut g.phase1, &mut g.window1, g.inc1, g.inv_inc1)
    };
    OscillatorState {
        steps: Steps {
            inc,
            inv_inc,
            width: width[usize::from(second)],
        },
        phase,
        window,
    }
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
