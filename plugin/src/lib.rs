//! Octolane, the plugin: nice-plug glue around `octolane-dsp`. It translates host events into
//! engine events, parameters into a `Patch`, and the transport into the engine's transport.
//! No audio arithmetic lives here.

pub mod editor;
mod events;
pub mod lanes;
pub mod meters;
pub mod params;
mod state;
pub mod telemetry_feed;

use meters::Meters;
use nice_plug::prelude::*;
use octolane_dsp::{
    BlockFigures, Event, SimdEngine, Synth, TelemetryProducer, Transport as EngineTransport,
};
use params::OctolaneParams;
use std::sync::Arc;
use telemetry_feed::TelemetryFeed;

/// Most events one block can carry to the engine; more are dropped (and the block still plays).
pub const EVENT_CAPACITY: usize = 16_384;

/// The Octolane synthesizer instance.
pub struct Octolane {
    params: Arc<OctolaneParams>,
    meters: Arc<Meters>,
    editor_state: Arc<nice_plug_egui::EguiEditorState>,
    engine: SimdEngine,
    events: Vec<Event>,
    /// Audio thread's end of the telemetry ring; used only while the Performance switch is on.
    telemetry: TelemetryProducer,
    telemetry_feed: Arc<TelemetryFeed>,
    sample_rate: f32,
}

impl Default for Octolane {
    fn default() -> Self {
        let (telemetry, feed) = TelemetryFeed::new();
        let params = Arc::new(OctolaneParams::default());
        let mut engine = SimdEngine::new(48_000.0);
        // Lane curves reach the engine only through the snapshot exchange.
        if let Some(receiver) = params.lanes.take_receiver() {
            engine.set_lane_receiver(receiver);
        }
        Self {
            params,
            meters: Arc::new(Meters::default()),
            editor_state: editor::default_state(),
            engine,
            events: Vec::with_capacity(EVENT_CAPACITY),
            telemetry,
            telemetry_feed: Arc::new(feed),
            sample_rate: 48_000.0,
        }
    }
}

impl Plugin for Octolane {
    const NAME: &'static str = "Octolane";
    const VENDOR: &'static str = "Octolane";
    const URL: &'static str = "https://octolane.dev";
    const EMAIL: &'static str = "hello@octolane.dev";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = &[AudioIOLayout {
        main_input_channels: None,
        main_output_channels: NonZeroU32::new(2),
        ..AudioIOLayout::const_default()
    }];
    const MIDI_INPUT: MidiConfig = MidiConfig::MidiCCs;
    const SAMPLE_ACCURATE_AUTOMATION: bool = true;
    const INPUT_EVENT_CAPACITY: usize = EVENT_CAPACITY;

    type Editor = editor::OctolaneEditor;
    type SysExMessage = ();
    type BackgroundTask = ();

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _async_executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        editor::create(
            self.params.clone(),
            self.meters.clone(),
            self.telemetry_feed.clone(),
            self.editor_state.clone(),
        )
    }

    fn filter_state(state: &mut PluginState) {
        state::filter(state);
    }

    fn activate(
        &mut self,
        _layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        _context: &mut impl ActivateContext<Self>,
    ) -> bool {
        self.engine.set_patch(&self.params.patch());
        self.engine.prepare(buffer_config.sample_rate);
        nice_log!("Octolane: voices run on {}", self.engine.path().name());
        self.sample_rate = buffer_config.sample_rate;
        self.params.lanes.pump();
        true
    }

    fn reset(&mut self) {
        self.engine.reset();
    }

    fn process(
        &mut self,
        buffer: &mut Buffer,
        _aux: &mut AuxiliaryBuffers,
        context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        // Reads the clock only while the Performance switch is on.
        let timing = self.telemetry.start(self.params.performance());
        self.events.clear();
        // Events arrive in time order (CLAP and VST3 require it); the engine applies any
        // straggler at once. Past the pre-sized capacity, events are dropped, never allocated.
        while let Some(event) = context.next_event() {
            if let Some(e) = events::translate(&event)
                && self.events.len() < self.events.capacity()
            {
                self.events.push(e);
            }
        }
        let t = context.transport();
        self.engine.set_transport(&EngineTransport {
            tempo_bpm: t.tempo.unwrap_or(120.0),
            playing: t.playing,
            beat_position: t.pos_beats(),
        });
        self.engine.set_patch(&self.params.patch());

        let (left, right) = match buffer.as_slice() {
            [left, right, ..] => (left, right),
            _ => {
                self.telemetry.finish(timing, BlockFigures::default());
                return ProcessStatus::Normal;
            }
        };
        self.engine.process(&self.events, left, right);
        let peak = |x: &[f32]| x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        self.meters
            .publish(peak(left), peak(right), self.engine.active_voices() as u32);
        self.params.lanes.publish(self.engine.motion());
        let figures = BlockFigures {
            frames: left.len() as u32,
            sample_rate_hz: self.sample_rate,
            voices: self.engine.active_voices() as u32,
            events: self.events.len() as u32,
            lane_swaps: self.engine.motion().swaps(),
        };
        self.telemetry.finish(timing, figures);
        ProcessStatus::Normal
    }
}

impl ClapPlugin for Octolane {
    const CLAP_ID: &'static str = "dev.octolane.synth";
    const CLAP_DESCRIPTION: Option<&'static str> =
        Some("Polyphonic synthesizer: eight voices per SIMD register, tempo-synced motion");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] = &[
        ClapFeature::Instrument,
        ClapFeature::Synthesizer,
        ClapFeature::Stereo,
    ];
}

impl Vst3Plugin for Octolane {
    const VST3_CLASS_ID: [u8; 16] = *b"OctolaneSynth001";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] =
        &[Vst3SubCategory::Instrument, Vst3SubCategory::Synth];
}

nice_export_clap!(Octolane);
nice_export_vst3!(Octolane);
