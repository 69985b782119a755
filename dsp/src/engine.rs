//! The polyphonic engine: lane groups, events at their exact sample, control ticks at absolute
//! sample positions, the mix and the output stage. `Engine<f32x8>` is the SIMD engine and
//! `Engine<f32>` the scalar reference; both run the same kernels.

use crate::MAX_VOICES;
use crate::control::{self, CONTROL_INTERVAL};
use crate::event::{Event, EventKind, Transport};
use crate::globals::Globals;
use crate::lanes::Lanes;
use crate::limiter::soft_limit;
use crate::patch::Patch;
use crate::render::{RunParams, SourceLevels, render_group, source_levels};
use crate::voice_alloc::{HeldKeys, LaneInfo, oldest_fading, sounding, steal_candidate};
use crate::voice_group::{Stage, VoiceGroup};

/// Extra lanes for voices fading out after being stolen, beyond the polyphony limit.
pub const FADE_RESERVE: usize = 64;
/// Total lanes an engine owns.
pub const LANE_CAPACITY: usize = MAX_VOICES + FADE_RESERVE;

/// A polyphonic synth engine over lane type `L`.
pub struct Engine<L: Lanes> {
    groups: Vec<VoiceGroup<L>>,
    lanes: Vec<LaneInfo>,
    globals: Globals,
    held: HeldKeys,
    control: control::ControlParams,
    run: RunParams,
    gain: (f32, f32),
    acc_l: [L; CONTROL_INTERVAL],
    acc_r: [L; CONTROL_INTERVAL],
    levels: [SourceLevels<L>; CONTROL_INTERVAL],
    clock: u64,
    next_serial: u64,
    seed: u32,
    last_pitch: Option<f32>,
}

impl<L: Lanes> Engine<L> {
    /// An engine with every lane allocated, for `sample_rate` (clamped to 8…384 kHz).
    pub fn new(sample_rate: f32) -> Self {
        let sample_rate = if sample_rate.is_finite() {
            sample_rate.clamp(8_000.0, 384_000.0)
        } else {
            48_000.0
        };
        let mut globals = Globals::new(&Patch::default(), sample_rate);
        let (control, run, gain) = globals.tick();
        Self {
            groups: vec![VoiceGroup::default(); LANE_CAPACITY.div_ceil(L::WIDTH)],
            lanes: Vec::with_capacity(LANE_CAPACITY),
            globals,
            held: HeldKeys::default(),
            control,
            run,
            gain,
            acc_l: [L::default(); CONTROL_INTERVAL],
            acc_r: [L::default(); CONTROL_INTERVAL],
            levels: [[L::default(); 3]; CONTROL_INTERVAL],
            clock: 0,
            next_serial: 0,
            seed: 0x9E37_79B9,
            last_pitch: None,
        }
    }

    /// Re-prepare for a sample rate: silence, settle smoothers on the current patch, reset the
    /// clock. Not realtime (call from activate).
    pub fn prepare(&mut self, sample_rate: f32) {
        let patch = self.globals.patch;
        *self = Self::new(sample_rate);
        self.set_patch(&patch);
        self.globals = Globals::new(&patch, self.globals.sample_rate());
        (self.control, self.run, self.gain) = self.globals.tick();
    }

    /// Silence every voice and forget held keys and controllers. Allocation-free.
    pub fn reset(&mut self) {
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

    /// Take the parameter block for the following samples; continuous values glide.
    /// Allocation-free, O(1).
    pub fn set_patch(&mut self, patch: &Patch) {
        self.globals.set_patch(patch);
    }

    /// Take the host transport for the following samples. Allocation-free, O(1).
    pub fn set_transport(&mut self, transport: &Transport) {
        self.globals.tempo_bpm = transport.tempo_bpm;
    }

    /// Lanes sounding now (fading ones included).
    pub fn active_voices(&self) -> usize {
        self.lanes.len()
    }

    /// Render one block. Events must be sorted by offset (later ones out of order apply at
    /// once); offsets past the end apply at the end. Allocation-free; O(frames × active
    /// lanes + events × lanes touched).
    pub fn process(&mut self, events: &[Event], left: &mut [f32], right: &mut [f32]) {
        let frames = left.len().min(right.len());
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

    fn render(&mut self, left: &mut [f32], right: &mut [f32]) {
        let n = left.len();
        let tick_pos = (self.clock % CONTROL_INTERVAL as u64) as usize;
        let run = RunParams {
            tick_pos,
            ..self.run
        };
        let levels = &mut self.levels[..n];
        source_levels(&run, levels);
        let acc_l = &mut self.acc_l[..n];
        let acc_r = &mut self.acc_r[..n];
        acc_l.fill(L::splat(0.0));
        acc_r.fill(L::splat(0.0));
        let used = self.lanes.len().div_ceil(L::WIDTH);
        for g in &mut self.groups[..used] {
            render_group(g, &run, levels, acc_l, acc_r);
        }
        let (gain0, step) = self.gain;
        for (i, (l, r)) in left.iter_mut().zip(right.iter_mut()).enumerate() {
            let gain = gain0 + step * (tick_pos + i) as f32;
            *l = soft_limit(acc_l[i].sum() * gain);
            *r = soft_limit(acc_r[i].sum() * gain);
        }
    }

    fn control_tick(&mut self) {
        let (control, run, gain) = self.globals.tick();
        self.control = control;
        self.run = run;
        self.gain = gain;
        let all = L::splat(0.0).eq(L::splat(0.0));
        let used = self.lanes.len().div_ceil(L::WIDTH);
        let mut any_finished = false;
        for g in &mut self.groups[..used] {
            control::advance(g, &self.control);
            let out = control::outputs(g, &self.control);
            control::apply(g, &out, all, true);
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

    fn apply(&mut self, kind: &EventKind) {
        match *kind {
            EventKind::NoteOn {
                key,
                velocity,
                channel,
                note_id,
            } => {
                if velocity > 0.0 {
                    self.note_on(key.min(127), velocity.clamp(0.0, 1.0), channel, note_id);
                } else {
                    self.note_off(key, channel, note_id);
                }
            }
            EventKind::NoteOff {
                key,
                channel,
                note_id,
            } => self.note_off(key, channel, note_id),
            EventKind::Choke {
                key,
                channel,
                note_id,
            } => {
                self.held.release(key);
                self.fade_where(|l| l.matches(key, channel, note_id));
            }
            EventKind::AllNotesOff => {
                self.held.clear();
                self.globals.sustain_down = false;
                for i in 0..self.lanes.len() {
                    self.release_lane(i);
                }
            }
            EventKind::AllSoundOff => {
                self.held.clear();
                self.fade_where(|_| true);
            }
            EventKind::PitchBend(v) => self.globals.bend = finite_or(v, 0.0).clamp(-1.0, 1.0),
            EventKind::ModWheel(v) => self.globals.mod_wheel = finite_or(v, 0.0).clamp(0.0, 1.0),
            EventKind::ChannelPressure(v) => {
                self.globals.pressure = finite_or(v, 0.0).clamp(0.0, 1.0)
            }
            EventKind::Sustain(down) => {
                self.globals.sustain_down = down;
                if !down {
                    for i in 0..self.lanes.len() {
                        if self.lanes[i].sustained {
                            self.release_lane(i);
                        }
                    }
                }
            }
        }
    }

    fn lane_mut(&mut self, i: usize) -> (&mut VoiceGroup<L>, usize) {
        (&mut self.groups[i / L::WIDTH], i % L::WIDTH)
    }

    fn release_lane(&mut self, i: usize) {
        let info = &mut self.lanes[i];
        if info.fading || (info.released && !info.sustained) {
            return;
        }
        info.released = true;
        info.sustained = false;
        let release = self.control.amp.release;
        let (g, l) = self.lane_mut(i);
        g.amp_stage.set_lane(l, Stage::RELEASE);
        g.amp_target.set_lane(l, control::RELEASE_TARGET);
        g.amp_coef.set_lane(l, release);
        g.amp_floor.set_lane(l, 0.0);
        g.mod_stage.set_lane(l, Stage::RELEASE);
    }

    fn fade_where(&mut self, pick: impl Fn(&LaneInfo) -> bool) {
        let fade = self.control.amp.fade;
        for i in 0..self.lanes.len() {
            if self.lanes[i].fading || !pick(&self.lanes[i]) {
                continue;
            }
            self.lanes[i].fading = true;
            let (g, l) = self.lane_mut(i);
            g.amp_stage.set_lane(l, Stage::FADE);
            g.amp_target.set_lane(l, control::RELEASE_TARGET);
            g.amp_coef.set_lane(l, fade);
            g.amp_floor.set_lane(l, 0.0);
        }
    }

    fn note_off(&mut self, key: u8, channel: u8, note_id: Option<i32>) {
        self.held.release(key);
        if self.globals.patch.voice.polyphony == 1
            && let Some(next) = self.held.latest()
        {
            let current = self.lanes.iter().position(|l| !l.released && !l.fading);
            if current.is_some_and(|i| self.lanes[i].matches(key, channel, note_id)) {
                self.glide_legato(next);
                return;
            }
        }
        for i in 0..self.lanes.len() {
            let info = self.lanes[i];
            if info.released || info.fading || !info.matches(key, channel, note_id) {
                continue;
            }
            if self.globals.sustain_down {
                self.lanes[i].released = true;
                self.lanes[i].sustained = true;
            } else {
                self.release_lane(i);
            }
        }
    }

    /// Mono/legato: move the sounding note's lanes to `key` without retriggering.
    fn glide_legato(&mut self, key: u8) {
        let jump = self.globals.patch.voice.glide_s <= 0.0;
        for i in 0..self.lanes.len() {
            if self.lanes[i].released || self.lanes[i].fading {
                continue;
            }
            self.lanes[i].key = key;
            let (g, l) = self.lane_mut(i);
            g.pitch_target.set_lane(l, key as f32);
            if jump {
                g.pitch.set_lane(l, key as f32);
            }
        }
        self.last_pitch = Some(key as f32);
    }

    fn note_on(&mut self, key: u8, velocity: f32, channel: u8, note_id: Option<i32>) {
        let voice = self.globals.patch.voice;
        let unison = voice.unison as usize;
        self.held.press(key);
        if voice.polyphony == 1 {
            if self.lanes.iter().any(|l| !l.released && !l.fading) {
                self.glide_legato(key);
                for info in self.lanes.iter_mut().filter(|l| !l.released && !l.fading) {
                    info.channel = channel;
                    info.note_id = note_id;
                }
                return;
            }
            self.fade_where(|_| true);
        }
        let limit = (voice.polyphony as usize).max(unison);
        while sounding(&self.lanes) + unison > limit {
            let Some(victim) = steal_candidate(&self.lanes) else {
                break;
            };
            self.fade_where(|l| l.serial == victim);
        }
        while self.lanes.len() + unison > LANE_CAPACITY {
            let i = oldest_fading(&self.lanes).unwrap_or(0);
            self.remove_lane(i);
        }
        self.start_note(key, velocity, channel, note_id, unison);
    }

    fn next_random(&mut self) -> u32 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 17;
        self.seed ^= self.seed << 5;
        self.seed
    }

    fn start_note(
        &mut self,
        key: u8,
        velocity: f32,
        channel: u8,
        note_id: Option<i32>,
        unison: usize,
    ) {
        let serial = self.next_serial;
        self.next_serial += 1;
        let pitch = key as f32;
        let start_pitch = match self.last_pitch {
            Some(p) if self.globals.patch.voice.glide_s > 0.0 => p,
            _ => pitch,
        };
        self.last_pitch = Some(pitch);
        let retrigger = self.globals.patch.lfo.retrigger;
        let lfo_phase = if retrigger {
            0.0
        } else {
            self.globals.free_lfo_phase
        };
        let c = self.control;
        let first = self.lanes.len();
        for j in 0..unison {
            let spread = if unison > 1 {
                j as f32 / (unison - 1) as f32
            } else {
                0.5
            };
            let phases = if unison > 1 {
                (
                    self.next_random() as f32 / 4_294_967_296.0,
                    self.next_random() as f32 / 4_294_967_296.0,
                )
            } else {
                (0.0, 0.0)
            };
            let (noise_seed, lfo_seed) = (self.next_random(), self.next_random());
            let i = self.lanes.len();
            self.lanes.push(LaneInfo {
                key,
                channel,
                note_id,
                serial,
                ..Default::default()
            });
            let (g, l) = self.lane_mut(i);
            g.clear_lane(l);
            g.phase1.set_lane(l, phases.0);
            g.phase2.set_lane(l, phases.1);
            L::seed_noise(&mut g.noise, l, noise_seed);
            L::seed_noise(&mut g.lfo_rng, l, lfo_seed);
            g.lfo_phase.set_lane(l, lfo_phase);
            g.pitch.set_lane(l, start_pitch);
            g.pitch_target.set_lane(l, pitch);
            g.velocity.set_lane(l, velocity);
            g.unison_offset.set_lane(l, spread - 0.5);
            g.unison_pan.set_lane(l, spread * 2.0 - 1.0);
            g.amp_stage.set_lane(l, Stage::ATTACK);
            g.amp_target.set_lane(l, control::ATTACK_TARGET);
            g.amp_coef.set_lane(l, c.amp.attack);
            g.mod_stage.set_lane(l, Stage::ATTACK);
        }
        // Control values for the new lanes now, so the note sounds from its exact sample.
        for gi in first / L::WIDTH..=(self.lanes.len() - 1) / L::WIDTH {
            let mut mask = L::splat(0.0);
            let all = L::splat(0.0).eq(L::splat(0.0)).lane(0);
            for l in 0..L::WIDTH {
                let i = gi * L::WIDTH + l;
                if i >= first && i < self.lanes.len() {
                    mask.set_lane(l, all);
                }
            }
            let g = &mut self.groups[gi];
            let out = control::outputs(g, &c);
            control::apply(g, &out, mask, false);
        }
    }
}

fn finite_or(value: f32, fallback: f32) -> f32 {
    if value.is_finite() { value } else { fallback }
}
