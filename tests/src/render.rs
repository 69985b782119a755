//! Offline rendering: events in absolute sample time, cut into blocks of any size.
//!
//! The same event list and tempo map give the plugin the same stream whatever the block size:
//! each event lands in the block that contains its frame, at the matching offset, and every block
//! gets the transport at its first frame.

use crate::error::HostError;
use crate::events::{HostEvent, TimedEvent};
use crate::processor::{AudioProcessor, StereoBlock};
use crate::tempo::TempoMap;

/// An event at an absolute frame (sample index since the start of the render).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScheduledEvent {
    /// Absolute frame.
    pub frame: u64,
    /// The event.
    pub event: HostEvent,
}

impl ScheduledEvent {
    /// An event at `frame`.
    pub fn new(frame: u64, event: HostEvent) -> Self {
        Self { frame, event }
    }
}

/// A rendered stereo signal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StereoBuffer {
    /// Left channel.
    pub left: Vec<f32>,
    /// Right channel.
    pub right: Vec<f32>,
}

impl StereoBuffer {
    /// Number of frames.
    pub fn len(&self) -> usize {
        self.left.len()
    }

    /// Whether there are no frames.
    pub fn is_empty(&self) -> bool {
        self.left.is_empty()
    }

    /// Appends a block.
    pub fn extend_from_block(&mut self, block: StereoBlock<'_>) {
        self.left.extend_from_slice(block.left);
        self.right.extend_from_slice(block.right);
    }

    /// Every sample of both channels, left then right.
    pub fn samples(&self) -> impl Iterator<Item = f32> + '_ {
        self.left.iter().chain(self.right.iter()).copied()
    }

    /// Whether every sample is finite.
    pub fn all_finite(&self) -> bool {
        self.samples().all(f32::is_finite)
    }

    /// Largest absolute sample over both channels.
    pub fn peak(&self) -> f32 {
        self.samples().fold(0.0, |m, s| m.max(s.abs()))
    }

    /// RMS over both channels.
    pub fn rms(&self) -> f32 {
        let n = self.left.len() + self.right.len();
        if n == 0 {
            return 0.0;
        }
        let sum: f64 = self.samples().map(|s| f64::from(s) * f64::from(s)).sum();
        (sum / n as f64).sqrt() as f32
    }

    /// Index of the first frame where either channel is not exactly zero.
    pub fn first_nonzero_frame(&self) -> Option<usize> {
        (0..self.len()).find(|&i| self.left[i] != 0.0 || self.right[i] != 0.0)
    }

    /// The frames `range` as a new buffer.
    pub fn slice(&self, range: std::ops::Range<usize>) -> StereoBuffer {
        StereoBuffer {
            left: self.left[range.clone()].to_vec(),
            right: self.right[range].to_vec(),
        }
    }

    /// Mono mix `(l + r) / 2`.
    pub fn mono(&self) -> Vec<f32> {
        self.left
            .iter()
            .zip(&self.right)
            .map(|(l, r)| 0.5 * (l + r))
            .collect()
    }
}

/// Renders `total_frames` frames in blocks of at most `block_frames`, handing each block to
/// `sink` with its first absolute frame. `events` must be sorted by frame (ties keep their
/// order); with a `tempo` map every block gets the playing transport at its first frame.
///
/// The processor must be started. Events before the first frame or at/after `total_frames` are
/// an error rather than silently dropped.
pub fn render_blocks(
    processor: &mut AudioProcessor,
    events: &[ScheduledEvent],
    total_frames: u64,
    block_frames: u32,
    tempo: Option<&TempoMap>,
    sink: &mut dyn FnMut(u64, StereoBlock<'_>) -> Result<(), HostError>,
) -> Result<(), HostError> {
    if let Some(pair) = events.windows(2).find(|w| w[1].frame < w[0].frame) {
        return Err(HostError::UnsortedEvents {
            frame: pair[1].frame,
        });
    }
    if let Some(late) = events.iter().find(|e| e.frame >= total_frames) {
        return Err(HostError::EventOutOfRender {
            frame: late.frame,
            total_frames,
        });
    }
    let sample_rate = processor.sample_rate();
    let mut block_events: Vec<TimedEvent> = Vec::with_capacity(256);
    let mut next_event = 0;
    let mut start = 0u64;
    while start < total_frames {
        let frames = u64::from(block_frames).min(total_frames - start);
        let end = start + frames;
        block_events.clear();
        while let Some(e) = events.get(next_event).filter(|e| e.frame < end) {
            // In-block offsets are < block_frames, which is a u32.
            block_events.push(TimedEvent::new((e.frame - start) as u32, e.event));
            next_event += 1;
        }
        let transport = tempo.map(|t| t.transport_at_frame(start, sample_rate));
        let block = processor.process(frames as u32, &block_events, transport.as_ref())?;
        sink(start, block)?;
        start = end;
    }
    Ok(())
}

/// Renders `total_frames` frames (see [`render_blocks`]) into one buffer.
pub fn render(
    processor: &mut AudioProcessor,
    events: &[ScheduledEvent],
    total_frames: u64,
    block_frames: u32,
    tempo: Option<&TempoMap>,
) -> Result<StereoBuffer, HostError> {
    let capacity = usize::try_from(total_frames).unwrap_or(0);
    let mut out = StereoBuffer {
        left: Vec::with_capacity(capacity),
        right: Vec::with_capacity(capacity),
    };
    render_blocks(
        processor,
        events,
        total_frames,
        block_frames,
        tempo,
        &mut |_, block| {
            out.extend_from_block(block);
            Ok(())
        },
    )?;
    Ok(out)
}
