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
    pub fn tick(&mut self, clock: u64, control: &mut ControlParams, run: &mut RunParams) {
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
