//! The audio-rate kernel: oscillators → noise → drive → filter → amp envelope → pan, for
//! the lane groups over a run of samples with fixed control values, mixed into per-lane
//! accumulators. One monomorphic loop per run: the sources that sound and the filter mode
//! are chosen before it, not tested in its samples. Allocation-free, O(groups × samples).

use crate::control::{CONTROL_INTERVAL, amp_sounding};
use crate::lanes::Lanes;
use crate::math::{SaturatorGains, saturate_scaled};
use crate::patch::FilterMode;
use crate::render::{RunParams, SourceLevels};
use crate::svf::{svf_output, svf_step};
use crate::voice_group::VoiceGroup;

/// Splatted per-run constants of the kernel.
#[derive(Clone, Copy)]
pub(crate) struct RunConsts<L: Lanes> {
    /// The resonant stage's damping k.
    pub(crate) k: L,
    /// The drive stage's folded gains (see `SaturatorGains`).
    pub(crate) drive: [L; 3],
}

impl<L: Lanes> RunConsts<L> {
    pub(crate) fn new(run: &RunParams) -> Self {
        Self {
            k: L::splat(run.k),
            drive: SaturatorGains::new(run.drive_in, run.drive_out).splat(),
        }
    }
}

/// The state a group carries from sample to sample through a run, held in locals for the
/// run: kept in the `VoiceGroup`, every filter state went through memory between two
/// samples, and the store and the load lengthened the filter's recurrence.
#[derive(Clone, Copy)]
struct Carried<L: Lanes> {
    s1a: L,
    s2a: L,
    s1b: L,
    s2b: L,
    amp_level: L,
    gain_l: L,
    gain_r: L,
    noise: L::Bits,
}

impl<L: Lanes> Carried<L> {
    #[inline(always)]
    fn of(g: &VoiceGroup<L>) -> Self {
        Self {
            s1a: g.s1a,
            s2a: g.s2a,
            s1b: g.s1b,
            s2b: g.s2b,
            amp_level: g.amp_level,
            gain_l: g.gain_l,
            gain_r: g.gain_r,
            noise: g.noise,
        }
    }

    #[inline(always)]
    fn store(self, g: &mut VoiceGroup<L>) {
        g.s1a = self.s1a;
        g.s2a = self.s2a;
        g.s1b = self.s1b;
        g.s2b = self.s2b;
        g.amp_level = self.amp_level;
        g.gain_l = self.gain_l;
        g.gain_r = self.gain_r;
        g.noise = self.noise;
    }
}

/// A filter mode as a type: each mode's kernel is a loop of its own, with no test of the
/// mode in its samples. (Kernels that run on lanes chosen at run time must be inlined
/// whole into the function compiled for those lanes, so the mode is not a closure, which
/// could stay a call.)
trait Response {
    /// The mode.
    const MODE: FilterMode;
}

macro_rules! responses {
    ($($mode:ident),*) => {
        $(
            #[doc = concat!("The ", stringify!($mode), " response.")]
            struct $mode;
            impl Response for $mode {
                const MODE: FilterMode = FilterMode::$mode;
            }
        )*
    };
}

responses!(Lp12, Lp24, Bp, Hp, Notch);

/// The filter's output for input `x`, [`FILTER_OUTPUT_SCALE`](crate::svf::FILTER_OUTPUT_SCALE) times its value: LP24 takes
/// the Butterworth stage into the resonant one, every other mode picks its response from
/// the resonant stage alone. The resonant stage is always fed twice its input (the
/// Butterworth stage's doubled low, or 2·x), so its states hold twice theirs in every mode
/// and a change of mode finds them at the scale it expects.
#[inline(always)]
fn filter<L: Lanes, R: Response>(g: &VoiceGroup<L>, st: &mut Carried<L>, x: L, k: L) -> L {
    let fa = [g.fa1, g.fa2, g.fa3];
    match R::MODE {
        FilterMode::Lp24 => {
            let (_, low2) = svf_step(x, &mut st.s1b, &mut st.s2b, [g.fb1, g.fb2, g.fb3]);
            svf_step(low2, &mut st.s1a, &mut st.s2a, fa).1
        }
        mode => {
            let x2 = x + x;
            svf_output(mode, x2, svf_step(x2, &mut st.s1a, &mut st.s2a, fa), k)
        }
    }
}

/// Where a run's filter inputs come from, for `K` groups: the oscillators' windows over
/// the run's slots and each sample's source levels.
struct RunSources<'a, L: Lanes, const K: usize> {
    windows: [(&'a [L], &'a [L]); K],
    levels: &'a [SourceLevels<L>],
    tick_pos: usize,
    drive: [L; 3],
}

impl<L: Lanes, const K: usize> RunSources<'_, L, K> {
    /// The groups' filter inputs at sample `i` of the run: their oscillators' samples,
    /// noise if `NOISE` (from the generators in `st`), drive if `DRIVE`.
    #[inline(always)]
    fn take<const NOISE: bool, const DRIVE: bool>(
        &self,
        i: usize,
        st: &mut [Carried<L>; K],
    ) -> [L; K] {
        let [lvl1, lvl2, lvln] = &self.levels[i];
        let mut x = [L::splat(0.0); K];
        for ((x, st), (w1, w2)) in x.iter_mut().zip(st).zip(&self.windows) {
            *x = w2[i].mul_add(*lvl2, w1[i] * *lvl1);
            if NOISE {
                *x = L::audio_noise(&mut st.noise, self.tick_pos + i).mul_add(*lvln, *x);
            }
            if DRIVE {
                *x = saturate_scaled(*x, self.drive);
            }
        }
        x
    }
}

/// Render `K` groups side by side over the run, their dependency chains overlapping in each
/// step: oscillators (read from their windows, both always: a silent one's window holds
/// its last, finite samples, times level 0), noise if `NOISE`, drive if `DRIVE`, then the
/// filter of mode `R`, the amp envelope and pan, each voice's output added into the
/// per-lane accumulators. The choices are the caller's, made once per run: tested in every
/// sample, they cost the AVX2 kernel a fifth of its instructions. The sources of a sample
/// are taken `D` steps before its filter needs them, so that the processor works on the
/// filters' recurrence and on sources of later samples at once.
#[inline(always)]
fn render_set<
    L: Lanes,
    const K: usize,
    const D: usize,
    const NOISE: bool,
    const DRIVE: bool,
    R: Response,
>(
    mut set: [&mut VoiceGroup<L>; K],
    run: &RunParams,
    c: &RunConsts<L>,
    levels: &[SourceLevels<L>],
    (acc_l, acc_r): (&mut [L], &mut [L]),
) {
    let n = levels
        .len()
        .min(acc_l.len())
        .min(acc_r.len())
        .min(CONTROL_INTERVAL);
    let (levels, acc_l, acc_r) = (&levels[..n], &mut acc_l[..n], &mut acc_r[..n]);
    let mut st = set.each_ref().map(|g| Carried::of(g));
    let slots = run.tick_pos..run.tick_pos + n;
    let sources = RunSources {
        windows: set
            .each_ref()
            .map(|g| (&g.window1[slots.clone()], &g.window2[slots.clone()])),
        levels,
        tick_pos: run.tick_pos,
        drive: c.drive,
    };
    // Software-pipelined: each step takes the sources of the sample `D` ahead while the
    // filters work on the current one.
    let mut xs = [[L::splat(0.0); K]; CONTROL_INTERVAL];
    for (i, x) in xs.iter_mut().enumerate().take(D.min(n)) {
        *x = sources.take::<NOISE, DRIVE>(i, &mut st);
    }
    for (i, (out_l, out_r)) in acc_l.iter_mut().zip(acc_r.iter_mut()).enumerate() {
        if i + D < n {
            xs[i + D] = sources.take::<NOISE, DRIVE>(i + D, &mut st);
        }
        for ((g, st), x) in set.iter().zip(&mut st).zip(xs[i]) {
            let y = filter::<L, R>(g, st, x, c.k);
            // The level steps unclamped (see `control::amp_sounding`): its recurrence is
            // two operations long instead of four.
            st.amp_level = (st.amp_level - g.amp_target).mul_add(g.amp_coef, g.amp_target);
            let v = y * amp_sounding(st.amp_level, g.amp_floor);
            *out_l = v.mul_add(st.gain_l, *out_l);
            *out_r = v.mul_add(st.gain_r, *out_r);
            st.gain_l = st.gain_l + g.dgain_l;
            st.gain_r = st.gain_r + g.dgain_r;
        }
    }
    for (g, st) in set.iter_mut().zip(st) {
        st.store(g);
    }
}

/// [`render_set`] with the run's filter mode.
#[inline(always)]
fn render_mode<L: Lanes, const K: usize, const D: usize, const NOISE: bool, const DRIVE: bool>(
    set: [&mut VoiceGroup<L>; K],
    run: &RunParams,
    c: &RunConsts<L>,
    levels: &[SourceLevels<L>],
    acc: (&mut [L], &mut [L]),
) {
    match run.mode {
        FilterMode::Lp12 => render_set::<L, K, D, NOISE, DRIVE, Lp12>(set, run, c, levels, acc),
        FilterMode::Lp24 => render_set::<L, K, D, NOISE, DRIVE, Lp24>(set, run, c, levels, acc),
        FilterMode::Bp => render_set::<L, K, D, NOISE, DRIVE, Bp>(set, run, c, levels, acc),
        FilterMode::Hp => render_set::<L, K, D, NOISE, DRIVE, Hp>(set, run, c, levels, acc),
        FilterMode::Notch => render_set::<L, K, D, NOISE, DRIVE, Notch>(set, run, c, levels, acc),
    }
}

/// Render `acc_l.len()` samples of a slice of groups, adding each voice's stereo output into
/// the per-lane accumulators; `levels` comes from [`LevelRamps::for_run`](crate::render::LevelRamps::for_run) (one entry per sample).
/// The run starts at slot `run.tick_pos` of the control interval, whose oscillator steps
/// [`render_oscillators`](crate::render::render_oscillators) took at its tick. Scalar voices go two at a time so their
/// dependency chains overlap. Allocation-free, O(groups × samples).
#[inline(always)]
pub fn render_groups<L: Lanes>(
    groups: &mut [VoiceGroup<L>],
    run: &RunParams,
    levels: &[SourceLevels<L>],
    acc_l: &mut [L],
    acc_r: &mut [L],
) {
    let c = RunConsts::new(run);
    match (run.noise != (0.0, 0.0), run.drive_in != 1.0) {
        (false, false) => render_all::<L, false, false>(groups, run, &c, levels, (acc_l, acc_r)),
        (false, true) => render_all::<L, false, true>(groups, run, &c, levels, (acc_l, acc_r)),
        (true, false) => render_all::<L, true, false>(groups, run, &c, levels, (acc_l, acc_r)),
        (true, true) => render_all::<L, true, true>(groups, run, &c, levels, (acc_l, acc_r)),
    }
}

/// How many samples ahead a SIMD group's sources are taken (see [`render_set`]). One
/// group's sample is a long chain from the windows through noise, drive and both filter
/// stages to the mix; three ahead measured 4–7 % faster than one at 8 voices on the AVX2
/// lanes a portable build chooses at run time, no different in an x86-64-v3 build or with
/// SSE2, and no different from five. A scalar pair has the other voice's chains to
/// overlap and takes its sources one sample ahead.
const SIMD_AHEAD: usize = 3;

/// [`render_groups`] with the run's sources chosen.
#[inline(always)]
fn render_all<L: Lanes, const NOISE: bool, const DRIVE: bool>(
    groups: &mut [VoiceGroup<L>],
    run: &RunParams,
    c: &RunConsts<L>,
    levels: &[SourceLevels<L>],
    (acc_l, acc_r): (&mut [L], &mut [L]),
) {
    // A SIMD group has independent work enough in its lanes, and a pair of them would not
    // fit the registers (SSE2 holds every f32x8 in two of its sixteen): measured in session
    // 18, pairs (sources two ahead) ran 6 % slower on the run-time AVX2 path at 64 and 256
    // voices and no faster with SSE2 or in an x86-64-v3 build. A scalar voice is one long
    // dependency chain, so the reference pairs voices.
    if L::WIDTH > 1 {
        for g in groups {
            render_mode::<L, 1, SIMD_AHEAD, NOISE, DRIVE>([g], run, c, levels, (acc_l, acc_r));
        }
        return;
    }
    let mut pairs = groups.chunks_exact_mut(2);
    for pair in &mut pairs {
        let [a, b] = pair else { continue };
        render_mode::<L, 2, 1, NOISE, DRIVE>([a, b], run, c, levels, (acc_l, acc_r));
    }
    for g in pairs.into_remainder() {
        render_mode::<L, 1, 1, NOISE, DRIVE>([g], run, c, levels, (acc_l, acc_r));
    }
}

#[cfg(test)]
#[path = "kernel_tests.rs"]
mod tests;
