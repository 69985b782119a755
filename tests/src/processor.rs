//! The audio-thread side of the host: a `Send` processor that renders blocks.

use clack_host::prelude::*;

use crate::error::HostError;
use crate::events::{TimedEvent, Transport};
use crate::handlers::OfflineHost;

/// The stereo output of one processed block (borrowed from the processor's buffers).
#[derive(Debug, Clone, Copy)]
pub struct StereoBlock<'a> {
    /// Left channel (first channel of the main output port).
    pub left: &'a [f32],
    /// Right channel (second channel of the main output port, or the first if it is mono).
    pub right: &'a [f32],
}

/// An activated plugin's audio processor. It is `Send`: move it to an audio thread and call
/// [`AudioProcessor::process`] there while the [`PluginHost`](crate::PluginHost) stays on the
/// main thread. Give it back to [`PluginHost::deactivate`](crate::PluginHost::deactivate).
///
/// Every buffer it uses is allocated at activation; `process` only reuses them.
pub struct AudioProcessor {
    processor: PluginAudioProcessor<OfflineHost>,
    /// Output storage: port → channel → `max_frames` samples.
    outputs: Vec<Vec<Vec<f32>>>,
    output_ports: AudioPorts,
    in_events: EventBuffer,
    out_events: EventBuffer,
    sorted: Vec<TimedEvent>,
    max_frames: u32,
    sample_rate: f64,
    steady_time: u64,
}

/// Room for this many input events per block before the host's event buffer grows.
const EVENT_CAPACITY: usize = 4096;

impl AudioProcessor {
    pub(crate) fn new(
        stopped: StoppedPluginAudioProcessor<OfflineHost>,
        output_channels: &[u32],
        sample_rate: f64,
        max_frames: u32,
    ) -> Self {
        let outputs: Vec<Vec<Vec<f32>>> = output_channels
            .iter()
            .map(|&n| vec![vec![0.0; max_frames as usize]; n as usize])
            .collect();
        let total_channels = output_channels.iter().map(|&n| n as usize).sum();
        Self {
            processor: stopped.into(),
            output_ports: AudioPorts::with_capacity(total_channels, outputs.len()),
            outputs,
            in_events: EventBuffer::with_capacity(EVENT_CAPACITY),
            out_events: EventBuffer::with_capacity(EVENT_CAPACITY),
            sorted: Vec::with_capacity(EVENT_CAPACITY),
            max_frames,
            sample_rate,
            steady_time: 0,
        }
    }

    /// Tells the plugin continuous processing starts (CLAP `start_processing`, audio thread).
    pub fn start_processing(&mut self) -> Result<(), HostError> {
        self.processor.start_processing()?;
        Ok(())
    }

    /// Tells the plugin continuous processing stops (CLAP `stop_processing`, audio thread).
    pub fn stop_processing(&mut self) {
        self.processor.ensure_processing_stopped();
    }

    /// Whether processing is started.
    pub fn is_processing(&self) -> bool {
        self.processor.is_started()
    }

    /// The largest block this activation accepts.
    pub fn max_frames(&self) -> u32 {
        self.max_frames
    }

    /// The sample rate given at activation.
    pub fn sample_rate(&self) -> f64 {
        self.sample_rate
    }

    /// Frames processed since activation (the `steady_time` given to the plugin).
    pub fn steady_time(&self) -> u64 {
        self.steady_time
    }

    /// Processes one block of `frames` frames with `events` (offsets inside the block; they are
    /// delivered in offset order, ties in the given order) and `transport`, and returns the
    /// stereo output.
    pub fn process(
        &mut self,
        frames: u32,
        events: &[TimedEvent],
        transport: Option<&Transport>,
    ) -> Result<StereoBlock<'_>, HostError> {
        if frames == 0 || frames > self.max_frames {
            return Err(HostError::BlockSize {
                frames,
                max_frames: self.max_frames,
            });
        }
        if let Some(bad) = events.iter().find(|e| e.offset >= frames) {
            return Err(HostError::EventOutOfBlock {
                offset: bad.offset,
                frames,
            });
        }
        self.sorted.clear();
        self.sorted.extend_from_slice(events);
        // A stable sort allocates scratch space; skip it for events already in order, so a
        // host audio thread that sends sorted events neither allocates nor calls the kernel.
        if !self.sorted.is_sorted_by_key(|e| e.offset) {
            self.sorted.sort_by_key(|e| e.offset);
        }
        self.in_events.clear();
        for e in &self.sorted {
            e.event.push_to(e.offset, &mut self.in_events);
        }
        self.out_events.clear();

        let len = frames as usize;
        for channel in self.outputs.iter_mut().flatten() {
            channel[..len].fill(0.0);
        }
        let transport = transport.map(Transport::to_clap);
        let started = self
            .processor
            .as_started_mut()
            .map_err(|_| HostError::ProcessingState("process() before start_processing()"))?;
        let mut outputs = self
            .output_ports
            .with_output_buffers(self.outputs.iter_mut().map(|port| AudioPortBuffer {
                latency: 0,
                channels: AudioPortBufferType::f32_output_only(
                    port.iter_mut().map(|channel| &mut channel[..len]),
                ),
            }));
        started.process(
            &InputAudioBuffers::empty(),
            &mut outputs,
            &self.in_events.as_input(),
            &mut self.out_events.as_output(),
            Some(self.steady_time),
            transport.as_ref(),
        )?;
        self.steady_time += u64::from(frames);

        let port = self
            .outputs
            .first()
            .ok_or(HostError::MissingExtension("an audio output port"))?;
        let left = port
            .first()
            .ok_or(HostError::MissingExtension("an output channel"))?;
        let right = port.get(1).unwrap_or(left);
        Ok(StereoBlock {
            left: &left[..len],
            right: &right[..len],
        })
    }

    pub(crate) fn into_stopped(self) -> StoppedPluginAudioProcessor<OfflineHost> {
        self.processor.into_stopped()
    }
}
