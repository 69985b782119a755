//! `LaneBank`: the engine's eight lanes — installed curve snapshots, one player (clock and
//! cursor) per lane, the host song position and the snapshot receiver — evaluated once per
//! control tick at the tick's absolute sample.

use super::LANE_COUNT;
use super::exchange::{LaneSnapshot, SnapshotReceiver};
use super::lane::{LaneCurve, LaneSettings};
use super::modulation::Modulation;
use super::position::{LanePlayer, SongPosition};
use crate::control::ControlParams;
use crate::event::Transport;
use crate::render::RunParams;

/// The engine's motion lanes.
pub struct LaneBank {
    installed: [Box<LaneSnapshot>; LANE_COUNT],
    players: [LanePlayer; LANE_COUNT],
    settings: [LaneSettings; LANE_COUNT],
    /// Whether any lane is enabled in the current block's settings.
    any_enabled: bool,
    song: SongPosition,
    tempo_bpm: f64,
    sample_rate: f64,
    receiver: Option<SnapshotReceiver>,
    osc2_prev: f32,
    swaps: u32,
}

impl LaneBank {
    /// Eight lanes with the default curve, off. Allocates: call off the audio thread.
    pub fn new(sample_rate: f64) -> Self {
        let settings = [LaneSettings::default(); LANE_COUNT];
        let installed: [Box<LaneSnapshot>; LANE_COUNT] = std::array::from_fn(|lane| {
            Box::new(LaneSnapshot {
                lane,
                curve: LaneCurve::default(),
                serial: 0,
            })
        });
        let players = std::array::from_fn(|i| {
            LanePlayer::new(&installed[i].curve, &settings[i], sample_rate)
        });
        Self {
            installed,
            players,
            settings,
            any_enabled: false,
            song: SongPosition::default(),
            tempo_bpm: super::position::DEFAULT_TEMPO_BPM,
            sample_rate,
            receiver: None,
            osc2_prev: 0.0,
            swaps: 0,
        }
    }

    /// Take the audio end of a snapshot exchange; the previous one (if any) is returned.
    pub fn set_receiver(&mut self, receiver: SnapshotReceiver) -> Option<SnapshotReceiver> {
        self.receiver.replace(receiver)
    }

    /// Install a curve directly (not realtime: the replaced snapshot is dropped here). For
    /// tests and for setting up an engine before it plays.
    pub fn install(&mut self, snapshot: Box<LaneSnapshot>) {
        let lane = snapshot.lane;
        if lane < LANE_COUNT {
            self.installed[lane] = snapshot;
            self.players[lane].set_curve(&self.installed[lane].curve);
        }
    }

    /// Follow a new sample rate (from `Engine::prepare`); lanes keep their curves. The song
    /// position is re-read from the next transport.
    pub fn set_sample_rate(&mut self, sample_rate: f64) {
        self.sample_rate = sample_rate;
        self.song = SongPosition::default();
        for (i, p) in self.players.iter_mut().enumerate() {
            *p = LanePlayer::new(&self.installed[i].curve, &self.settings[i], sample_rate);
        }
        self.osc2_prev = 0.0;
    }

    /// Start a block at absolute sample `clock`: install queued snapshots, take the settings and
    /// the transport. Allocation-free, lock-free; O(drained messages + lanes × log n).
    pub fn begin_block(
        &mut self,
        settings: &[LaneSettings; LANE_COUNT],
        transport: &Transport,
        clock: u64,
    ) {
        self.swaps = 0;
        if let Some(receiver) = self.receiver.as_mut() {
            let changed = receiver.receive(&mut self.installed);
            for (i, player) in self.players.iter_mut().enumerate() {
                if changed & (1 << i) != 0 {
                    player.set_curve(&self.installed[i].curve);
                    self.swaps += 1;
                }
            }
        }
        self.settings = *settings;
        self.any_enabled = settings.iter().any(|s| s.enabled);
        self.tempo_bpm = transport.tempo_bpm;
        self.song.update(transport, clock, self.sample_rate);
        for (i, player) in self.players.iter_mut().enumerate() {
            player.begin_block(
                &self.installed[i].curve,
                &self.settings[i],
                &self.song,
                self.tempo_bpm,
                clock,
                self.sample_rate,
            );
        }
    }

    /// Evaluate every enabled lane at absolute sample `clock` and fold the result into the
    /// tick's values. Allocation-free; amortized O(lanes).
    #[inline(always)]
    pub fn tick(&mut self, clock: u64, control: &mut ControlParams, run: &mut RunParams) {
        // With every lane off and no oscillator-2 offset left to ramp away, the modulation is
        // the identity: the tick's values come fresh from `Globals::tick` with no lane offsets.
        if self.any_enabled || self.osc2_prev != 0.0 {
            self.modulate(clock, control, run);
        }
    }

    #[inline(never)]
    fn modulate(&mut self, clock: u64, control: &mut ControlParams, run: &mut RunParams) {
        let mut m = Modulation::default();
        for (i, player) in self.players.iter_mut().enumerate() {
            let s = &self.settings[i];
            if s.enabled {
                let value = player.value_at(&self.installed[i].curve, &self.song, clock);
                m.add(s.destination, s.depth, value);
            }
        }
        m.apply(control, run, &mut self.osc2_prev);
    }

    /// A note-on at `clock` while no other key is held: Retrigger lanes restart. O(lanes).
    pub fn note_on(&mut self, clock: u64) {
        for p in &mut self.players {
            p.note_on(clock);
        }
    }

    /// Lane `i`'s installed snapshot.
    pub fn snapshot(&self, i: usize) -> Option<&LaneSnapshot> {
        self.installed.get(i).map(|b| &**b)
    }

    /// Lane `i`'s player (its last value and position).
    pub fn player(&self, i: usize) -> Option<&LanePlayer> {
        self.players.get(i)
    }

    /// Lane `i`'s settings as of the current block.
    pub fn settings(&self, i: usize) -> Option<&LaneSettings> {
        self.settings.get(i)
    }

    /// Snapshots installed at the start of the last block.
    pub fn swaps(&self) -> u32 {
        self.swaps
    }

    /// Snapshots parked on the audio side because the return ring was full.
    pub fn held(&self) -> usize {
        self.receiver.as_ref().map_or(0, SnapshotReceiver::held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::CONTROL_INTERVAL;
    use crate::motion::lane::{Destination, SyncMode};

    /// One tick of `bank` at `clock` on fresh values: oscillator 2 at a steady 0.5. Returns
    /// its level ramp and the cutoff.
    fn tick(bank: &mut LaneBank, clock: u64) -> ((f32, f32), f32) {
        let mut control = ControlParams {
            cutoff_log2: 10.0,
            ..ControlParams::default()
        };
        let mut run = RunParams {
            level2: (0.5, 0.0),
            ..RunParams::default()
        };
        bank.tick(clock, &mut control, &mut run);
        (run.level2, control.cutoff_log2)
    }

    #[test]
    fn a_lane_switched_off_ramps_its_offset_away_and_then_leaves_ticks_alone() {
        let mut bank = LaneBank::new(48_000.0);
        let transport = Transport::default();
        let mut settings = [LaneSettings::default(); LANE_COUNT];
        // All off: the tick's values pass through bit for bit.
        bank.begin_block(&settings, &transport, 0);
        assert_eq!(tick(&mut bank, 0), ((0.5, 0.0), 10.0));
        // A free-running lane on oscillator 2 at full depth; a quarter note in (24,000
        // samples at 120 BPM) the default triangle is at 0.5.
        settings[3] = LaneSettings {
            enabled: true,
            destination: Destination::Osc2Level,
            depth: 1.0,
            sync: SyncMode::Free,
            ..LaneSettings::default()
        };
        bank.begin_block(&settings, &transport, 0);
        let (level2, cutoff) = tick(&mut bank, 24_000);
        let step = 0.5 / CONTROL_INTERVAL as f32;
        assert!(
            (level2.0 - 0.5).abs() < 1e-3 && level2.1 > 0.0,
            "{level2:?}"
        );
        assert_eq!(cutoff, 10.0);
        // Switched off, its offset ramps back to the plain level over the next interval…
        settings[3].enabled = false;
        bank.begin_block(&settings, &transport, 24_016);
        let (level2, _) = tick(&mut bank, 24_016);
        assert!((level2.0 - 1.0).abs() < 1e-3, "{level2:?}");
        assert!((level2.1 + step).abs() < 1e-4, "{level2:?}");
        // …and from then on the ticks are the identity again.
        assert_eq!(tick(&mut bank, 24_032), ((0.5, 0.0), 10.0));
    }
}
