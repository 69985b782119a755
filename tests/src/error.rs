//! The one error type of the offline host.

use std::fmt;

use clack_host::prelude::PluginInstanceError;

/// Everything that can go wrong while hosting the plugin.
#[derive(Debug, Clone, PartialEq)]
pub enum HostError {
    /// The `.clap` file could not be loaded as a CLAP entry.
    Load(String),
    /// The entry has no plugin factory, or no plugin with the requested id.
    PluginNotFound(String),
    /// A call into the plugin instance failed (instantiation, activation, processing...).
    Instance(PluginInstanceError),
    /// The plugin does not implement a CLAP extension the host needs.
    MissingExtension(&'static str),
    /// The plugin does not know this parameter id, or refused the conversion.
    Param {
        /// The CLAP parameter id.
        id: u32,
        /// What was being done.
        action: &'static str,
    },
    /// The plugin refused to save its state.
    StateSave,
    /// The plugin refused to load a state.
    StateLoad,
    /// The requested block is larger than the activation's maximum, or zero.
    BlockSize {
        /// Frames requested.
        frames: u32,
        /// Maximum frames given at activation.
        max_frames: u32,
    },
    /// An event's frame offset is not inside the block it was given with.
    EventOutOfBlock {
        /// The event's offset.
        offset: u32,
        /// The block length.
        frames: u32,
    },
    /// A render's events were not sorted by frame.
    UnsortedEvents {
        /// Frame of the first event that comes before its predecessor.
        frame: u64,
    },
    /// A render's event lies outside the rendered frames.
    EventOutOfRender {
        /// The event's frame.
        frame: u64,
        /// Frames rendered.
        total_frames: u64,
    },
    /// An operation needed the audio processor to be started (or stopped).
    ProcessingState(&'static str),
    /// Reading or writing a file (MIDI, WAV) failed.
    File(String),
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Load(msg) => write!(f, "could not load the CLAP entry: {msg}"),
            Self::PluginNotFound(id) => write!(f, "no plugin with id {id:?} in this entry"),
            Self::Instance(e) => write!(f, "plugin instance error: {e}"),
            Self::MissingExtension(ext) => write!(f, "the plugin does not implement {ext}"),
            Self::Param { id, action } => write!(f, "parameter {id}: {action} failed"),
            Self::StateSave => write!(f, "the plugin failed to save its state"),
            Self::StateLoad => write!(f, "the plugin refused the state"),
            Self::BlockSize { frames, max_frames } => write!(
                f,
                "block of {frames} frames is not within 1..={max_frames} (the activation maximum)"
            ),
            Self::EventOutOfBlock { offset, frames } => write!(
                f,
                "event at offset {offset} does not fit in a block of {frames} frames"
            ),
            Self::UnsortedEvents { frame } => {
                write!(
                    f,
                    "render events are not sorted by frame (event at {frame})"
                )
            }
            Self::EventOutOfRender {
                frame,
                total_frames,
            } => write!(
                f,
                "event at frame {frame} is outside the {total_frames} rendered frames"
            ),
            Self::ProcessingState(msg) => write!(f, "{msg}"),
            Self::File(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for HostError {}

impl From<PluginInstanceError> for HostError {
    fn from(e: PluginInstanceError) -> Self {
        Self::Instance(e)
    }
}
