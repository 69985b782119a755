//! The polyphonic engine: lane groups, events at their exact sample, control ticks at absolute
//! sample positions, the mix and the output stage. `Engine<f32x8>` is the SIMD engine and
//! `Engine<f32>` the scalar reference; both run the same kernels.

use crate::MAX_VOICES;
use crate::control::{self, CONTROL_INTERVAL};
use crate::denormals::FlushDenormals;
use crate::event::{Event, Transport};
use crate::globals::{Globals, Tick};
use crate::kernel::render_groups;
use crate::lanes::Lanes;
use crate::limiter::output_run;
use crate::motion::{LaneBank, SnapshotReceiver};
use crate::patch::Patch;
use crate::render::{LevelRamps, oscillators_on, render_oscillators};
use crate::synth::Synth;
use crate::voice_alloc::{HeldKeys, LaneInfo};
use crate::voice_group::VoiceGroup;

mod notes;

/// Extra lanes for voices fading out after being stolen, beyond the polyphony limit.
pub const FADE_RESERVE: usize = 64;
/// Total lanes an engine owns.
pub const LANE_CAPACITY: usize = MAX_VOICES + FADE_RESERVE;

/// Samples from the last control tick to absolute sample `clock`: the slot of the
/// oscillators' windows (see `oscillator`).
fn tick_position(clock: u64) -> usize {
    (clock % CONTROL_INTERVAL as u64) as usize
}

/// A polyphonic synth engine over lane type `L`.
pub struct Engine<L: Lanes> {
    groups: Vec<VoiceGroup<L>>,
    lanes: Vec<LaneInfo>,
    globals: Globals,
    held: HeldKeys,
    tick: Tick,
    /// Per-lane mix accumulators of the run being rendered (clear between runs).
    acc_l: [L; CONTROL_INTERVAL],
    acc_r: [L; CONTROL_INTERVAL],
    levels: LevelRamps<L>,
    clock: u64,
    /// Whether each oscillator ran in the last rendered run.
    oscillators_on: [bool; 2],
    next_serial: u64,
    seed: u32,
    last_pitch: Option<f32>,
    /// Scratch list for voice stealing, sized for every lane.
    steal_order: Vec<(bool, u64)>,
    non_finite: u64,
    motion: LaneBank,
    transport: Transport,
}

impl<L: Lanes> Synth for Engine<L> {
    fn new(sample_rate: f32) -> Self {
        let sample_rate = if sample_rate.is_finite() {
            sample_rate.clamp(8_000.0, 384_000.0)
        } else {
            48_000.0
        };
        let mut globals = Globals::new(&Patch::default(), sample_rate);
        let mut tick = Tick::default();
        globals.tick(&mut tick);
        Self {
            groups: vec![VoiceGroup::default(); LANE_CAPACITY.div_ceil(L::WIDTH)],
            lanes: Vec::with_capacity(LANE_CAPACITY),
            globals,
            held: HeldKeys::default(),
            tick,
            acc_l: [L::default(); CONTROL_INTERVAL],
            acc_r: [L::default(); CONTROL_INTERVAL],
            levels: LevelRamps::default(),
            clock: 0,
            oscillators_on: oscillators_on(&tick.run),
            next_serial: 0,
            seed: 0x9E37_79B9,
            last_pitch: None,
            steal_order: Vec::with_capacity(LANE_CAPACITY),
            non_finite: 0,
            motion: LaneBank::new(f64::from(sample_rate)),
            transport: Transport::default(),
        }
    }

    fn prepare(&mut self, sample_rate: f32) {
        let patch = self.globals.patch;
        let mut motion = std::mem::replace(self, Self::new(sample_rate)).motion;
        motion.set_sample_rate(f64::from(self.globals.sample_rate()));
        self.motion = motion;
        self.set_patch(&patch);
        self.globals = Globals::new(&patch, self.globals.sample_rate());
        self.globals.tick(&mut self.tick);
        self.oscillators_on = oscillators_on(&self.tick.run);
    }

    fn reset(&mut self) {
        for g in &mut self.groups {
            *g = VoiceGroup::default();
        }
        self.lanes.clear();
        self.held.clear();
        self.globals.bend = 0.0;
        self.globals.mod_wheel = 0.0;
        self.globals.pressure = 0.0;
        self.globals.sustain_down = false;
        self.last_pitch = None;
    }

    fn set_patch(&mut self, patch: &Patch) {
        self.globals.set_patch(patch);
    }

    fn set_transport(&mut self, transport: &Transport) {
        self.globals.tempo_bpm = transport.tempo_bpm;
        self.transport = *transport;
    }

    fn set_lane_receiver(&mut self, receiver: SnapshotReceiver) -> Option<SnapshotReceiver> {
        self.motion.set_receiver(receiver)
    }

    fn motion(&self) -> &LaneBank {
        &self.motion
    }

    fn motion_mut(&mut self) -> &mut LaneBank {
        &mut self.motion
    }

    fn active_voices(&self) -> usize {
        self.lanes.len()
    }

    fn non_finite_samples(&self) -> u64 {
        self.non_finite
    }

    fn process(&mut self, events: &[Event], left: &mut [f32], right: &mut [f32]) {
        let _flush = FlushDenormals::new();
        let frames = left.len().min(right.len());
        let motion = self.globals.patch.motion;
        self.motion
            .begin_block(&motion, &self.transport, self.clock);
        let mut pos = 0;
        let mut next_event = 0;
        while pos < frames {
            if self.clock.is_multiple_of(CONTROL_INTERVAL as u64) {
                self.control_tick();
            }
            while next_event < events.len() && events[next_event].offset as usize <= pos {
                self.apply(&events[next_event].kind);
                next_event += 1;
            }
            let to_tick = CONTROL_INTERVAL - (self.clock % CONTROL_INTERVAL as u64) as usize;
            let mut end = (pos + to_tick).min(frames);
            if let Some(e) = events.get(next_event) {
                end = end.min((e.offset as usize).max(pos + 1));
            }
            self.render(&mut left[pos..end], &mut right[pos..end]);
            self.clock += (end - pos) as u64;
            pos = end;
        }
        for e in &events[next_event..] {
            self.apply(&e.kind);
        }
    }
}

// The passes over the lane groups run through `Lanes::native` (`native3`, `native5` where
// the arguments must stay parameters): each is a function of its own, compiled for the
// lanes' instruction set (AVX2 for the lanes a portable build chooses at run time), with
// everything below it inlined.
impl<L: Lanes> Engine<L> {
    /// One run between events and ticks: the groups' samples, the mix and the output stage.
    fn render(&mut self, left: &mut [f32], right: &mut [f32]) {
        let n = left.len();
        self.tick.run.tick_pos = tick_position(self.clock);
        let run = &self.tick.run;
        // The accumulators are clear: each run drains them below.
        let used = self.lanes.len().div_ceil(L::WIDTH);
        let (acc_l, acc_r) = (&mut self.acc_l[..n], &mut self.acc_r[..n]);
        let ramps = &mut self.levels;
        let levels = L::native(
            #[inline(always)]
            || ramps.for_run(run, n),
        );
        let groups = &mut self.groups[..used];
        L::native5(
            #[inline(always)]
            |groups, run, levels, acc_l, acc_r| render_groups(groups, run, levels, acc_l, acc_r),
            groups,
            run,
            levels,
            &mut *acc_l,
            &mut *acc_r,
        );
        let (gain, tick_pos) = (self.tick.gain, run.tick_pos);
        self.non_finite += L::native_if_needed(
            #[inline(always)]
            || {
                L::drain_rows(acc_l, left);
                L::drain_rows(acc_r, right);
                output_run::<L::Out8>(gain, tick_pos, left, right)
            },
        );
    }

    /// The control tick at this position: envelopes, LFOs, coefficients, finished voices
    /// and the interval's oscillator steps.
    fn control_tick(&mut self) {
        self.globals.tick(&mut self.tick);
        let Tick { control, run, .. } = &mut self.tick;
        self.motion.tick(self.clock, control, run);
        // An oscillator that was silent (level 0) starts again from its held phase when the
        // interval's steps are taken, below. Levels change only here, before this position's
        // events, so a note starting now is primed after that, by its note-on.
        let on = oscillators_on(&self.tick.run);
        let restart = [0, 1].map(|i| on[i] && !self.oscillators_on[i]);
        self.oscillators_on = on;
        L::native(
            #[inline(always)]
            || self.tick_groups(restart),
        );
    }

    /// The control tick's pass over the groups (see [`Engine::control_tick`]).
    #[inline(always)]
    fn tick_groups(&mut self, restart: [bool; 2]) {
        let used = self.lanes.len().div_ceil(L::WIDTH);
        let c = &self.tick.control;
        let mut any_finished = false;
        // Two groups at a time: their long chains (exp2 → tan → division) overlap.
        let mut pairs = self.groups[..used].chunks_exact_mut(2);
        for pair in &mut pairs {
            let [a, b] = pair else { continue };
            control::advance(a, c);
            control::advance(b, c);
            let (out_a, out_b) = (control::outputs(a, c), control::outputs(b, c));
            control::apply(a, &out_a, None, true);
            control::apply(b, &out_b, None, true);
            any_finished |= control::finished(a).or(control::finished(b)).any();
        }
        for g in pairs.into_remainder() {
            control::advance(g, c);
            let out = control::outputs(g, c);
            control::apply(g, &out, None, true);
            any_finished |= control::finished(g).any();
        }
        if any_finished {
            for i in (0..self.lanes.len()).rev() {
                let (g, l) = (i / L::WIDTH, i % L::WIDTH);
                if control::finished(&self.groups[g]).lane(l) != 0.0 {
                    self.remove_lane(i);
                }
            }
        }
        // The interval's oscillator steps, at the pitches just worked out, for the lanes
        // still sounding.
        let (used, run) = (self.lanes.len().div_ceil(L::WIDTH), &self.tick.run);
        L::native3(
            #[inline(always)]
            |groups, run, restart| render_oscillators(groups, run, restart),
            &mut self.groups[..used],
            run,
            restart,
        );
    }

    /// Free lane `i`, moving the last sounding lane into its place to keep lanes packed.
    fn remove_lane(&mut self, i: usize) {
        let last = self.lanes.len() - 1;
        if i != last {
            let src = self.groups[last / L::WIDTH];
            self.groups[i / L::WIDTH].copy_lane_from(i % L::WIDTH, &src, last % L::WIDTH);
        }
        self.groups[last / L::WIDTH].clear_lane(last % L::WIDTH);
        self.lanes.swap_remove(i);
    }
}
