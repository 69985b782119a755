//! Note and controller events: note-on with voice stealing and unison, note-off with the
//! sustain pedal, mono/legato glide, chokes, all-notes-off, bend, wheel and pressure.

use super::{Engine, LANE_CAPACITY, tick_position};
use crate::control;
use crate::event::EventKind;
use crate::lanes::Lanes;
use crate::oscillator::phase_bits;
use crate::render::prime_oscillators;
use crate::voice_alloc::{LaneInfo, oldest_fading, sounding, steal_key};
use crate::voice_group::{Stage, VoiceGroup};

impl<L: Lanes> Engine<L> {
    pub(super) fn apply(&mut self, kind: &EventKind) {
        match *kind {
            EventKind::NoteOn {
                key,
                velocity,
                channel,
                note_id,
            } => {
                if !velocity.is_finite() {
                    // A broken event: neither a note-on nor a release.
                } else if velocity > 0.0 {
                    self.note_on(key.min(127), velocity.min(1.0), channel, note_id);
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

    pub(super) fn lane_mut(&mut self, i: usize) -> (&mut VoiceGroup<L>, usize) {
        (&mut self.groups[i / L::WIDTH], i % L::WIDTH)
    }

    pub(super) fn release_lane(&mut self, i: usize) {
        let info = &mut self.lanes[i];
        if info.fading || (info.released && !info.sustained) {
            return;
        }
        info.released = true;
        info.sustained = false;
        let release = self.tick.control.amp.release;
        let (g, l) = self.lane_mut(i);
        settle_amp_lane(g, l);
        g.amp_stage.set_lane(l, Stage::RELEASE);
        g.amp_target.set_lane(l, control::RELEASE_TARGET);
        g.amp_coef.set_lane(l, release);
        g.amp_floor.set_lane(l, 0.0);
        g.mod_stage.set_lane(l, Stage::RELEASE);
    }

    pub(super) fn fade_where(&mut self, pick: impl Fn(&LaneInfo) -> bool) {
        let fade = self.tick.control.amp.fade;
        for i in 0..self.lanes.len() {
            if self.lanes[i].fading || !pick(&self.lanes[i]) {
                continue;
            }
            self.lanes[i].fading = true;
            let (g, l) = self.lane_mut(i);
            settle_amp_lane(g, l);
            g.amp_stage.set_lane(l, Stage::FADE);
            g.amp_target.set_lane(l, control::RELEASE_TARGET);
            g.amp_coef.set_lane(l, fade);
            g.amp_floor.set_lane(l, 0.0);
        }
    }

    pub(super) fn note_off(&mut self, key: u8, channel: u8, note_id: Option<i32>) {
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
    pub(super) fn glide_legato(&mut self, key: u8) {
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

    pub(super) fn note_on(&mut self, key: u8, velocity: f32, channel: u8, note_id: Option<i32>) {
        let voice = self.globals.patch.voice;
        let unison = voice.unison as usize;
        if self.held.latest().is_none() {
            self.motion.note_on(self.clock);
        }
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
        self.steal(sounding(&self.lanes) + unison, limit);
        while self.lanes.len() + unison > LANE_CAPACITY {
            let i = oldest_fading(&self.lanes).unwrap_or(0);
            self.remove_lane(i);
        }
        self.start_note(key, velocity, channel, note_id, unison);
    }

    /// Fade whole notes, oldest released first and then oldest, until `wanted` lanes fit in
    /// `limit`. One sort of a pre-sized scratch list and one pass over the lanes, however
    /// many notes go (polyphony automated from 1,024 to 2 costs the same single pass).
    fn steal(&mut self, wanted: usize, limit: usize) {
        let Some(mut excess) = wanted.checked_sub(limit).filter(|e| *e > 0) else {
            return;
        };
        // (still held, serial): released notes sort first, then by age.
        self.steal_order.clear();
        let order = self.lanes.iter().filter(|l| !l.fading).map(steal_key);
        self.steal_order.extend(order.take(LANE_CAPACITY));
        self.steal_order.sort_unstable();
        let mut last = None;
        for key in &self.steal_order {
            if excess == 0 && last != Some(*key) {
                break;
            }
            excess = excess.saturating_sub(1);
            last = Some(*key);
        }
        if let Some(last) = last {
            self.fade_where(|l| steal_key(l) <= last);
        }
    }

    pub(super) fn next_random(&mut self) -> u32 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 17;
        self.seed ^= self.seed << 5;
        self.seed
    }

    pub(super) fn start_note(
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
        let c = self.tick.control;
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
            g.phase1.set_lane(l, phase_bits(phases.0));
            g.phase2.set_lane(l, phase_bits(phases.1));
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
        let (last, run, pos) = (
            self.lanes.len() - 1,
            &self.tick.run,
            tick_position(self.clock),
        );
        for gi in first / L::WIDTH..=last / L::WIDTH {
            let mut mask = L::splat(0.0);
            for l in 0..L::WIDTH {
                let i = gi * L::WIDTH + l;
                if i >= first && i <= last {
                    mask.set_lane(l, L::all_set().lane(0));
                }
            }
            let g = &mut self.groups[gi];
            // The priming runs on the lanes' own instructions: a note storm stays cheap.
            L::native(
                #[inline(always)]
                || {
                    let out = control::outputs(g, &c);
                    control::apply(g, &out, Some(mask), false);
                    prime_oscillators(g, run, pos, mask, [true; 2]);
                },
            );
        }
    }
}

/// Bound lane `l`'s amp level by its segment (see [`control::amp_sounding`]) before a new
/// segment starts from it.
fn settle_amp_lane<L: Lanes>(g: &mut VoiceGroup<L>, l: usize) {
    let level = control::amp_sounding(g.amp_level.lane(l), g.amp_floor.lane(l));
    g.amp_level.set_lane(l, level);
}

fn finite_or(value: f32, fallback: f32) -> f32 {
    if value.is_finite() { value } else { fallback }
}
