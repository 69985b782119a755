//! The main-thread side of the host: loading, descriptor, ports, activation.

use std::ffi::{CStr, CString};
use std::path::Path;

use clack_extensions::audio_ports::{AudioPortFlags, AudioPortInfoBuffer, PluginAudioPorts};
use clack_extensions::note_ports::{self, NotePortInfoBuffer, PluginNotePorts};
use clack_extensions::params::PluginParams;
use clack_extensions::state::PluginState;
use clack_host::plugin::InactivePluginMainThreadHandle;
use clack_host::prelude::*;

use crate::error::HostError;
use crate::handlers::{OfflineHost, SharedRequests, host_info};
use crate::processor::AudioProcessor;

/// What the plugin's CLAP descriptor says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginDescriptorInfo {
    /// The reverse-DNS plugin id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The vendor.
    pub vendor: String,
    /// The version string.
    pub version: String,
    /// The one-line description (empty when absent).
    pub description: String,
    /// The feature tags (`"instrument"`, `"synthesizer"`, `"stereo"`...).
    pub features: Vec<String>,
}

/// One audio port as the plugin declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioPortInfo {
    /// The port's stable id.
    pub id: u32,
    /// The port's display name.
    pub name: String,
    /// Number of channels.
    pub channel_count: u32,
    /// The port type (`"stereo"`, `"mono"`...), if declared.
    pub port_type: Option<String>,
    /// Whether this is the main port of its direction.
    pub is_main: bool,
}

/// A set of CLAP note dialects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteDialects {
    /// CLAP note events (note on/off with note ids, expressions).
    pub clap: bool,
    /// MIDI 1.0 messages.
    pub midi: bool,
    /// MIDI 1.0 with MPE.
    pub midi_mpe: bool,
    /// MIDI 2.0 packets.
    pub midi2: bool,
}

impl NoteDialects {
    fn from_clack(d: note_ports::NoteDialects) -> Self {
        Self {
            clap: d.contains(note_ports::NoteDialects::CLAP),
            midi: d.contains(note_ports::NoteDialects::MIDI),
            midi_mpe: d.contains(note_ports::NoteDialects::MIDI_MPE),
            midi2: d.contains(note_ports::NoteDialects::MIDI2),
        }
    }
}

/// One note port as the plugin declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotePortInfo {
    /// The port's stable id.
    pub id: u32,
    /// The port's display name.
    pub name: String,
    /// Dialects the port accepts.
    pub supported: NoteDialects,
    /// The dialect the plugin prefers (at most one flag set).
    pub preferred: NoteDialects,
}

/// A loaded plugin instance, driven from the main thread (this type is deliberately not `Send`).
///
/// Audio runs through the [`AudioProcessor`] returned by [`PluginHost::activate`], which may live
/// on another thread.
pub struct PluginHost {
    instance: PluginInstance<OfflineHost>,
    descriptor: PluginDescriptorInfo,
    pub(crate) params_ext: Option<PluginParams>,
    pub(crate) state_ext: Option<PluginState>,
    audio_ports_ext: Option<PluginAudioPorts>,
    note_ports_ext: Option<PluginNotePorts>,
    // Keeps the shared object loaded for as long as the instance exists.
    _entry: PluginEntry,
}

fn cstr_to_string(s: Option<&CStr>) -> String {
    s.map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn bytes_to_string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl PluginHost {
    /// Loads the `.clap` file at `clap_path` (dlopen, as a DAW does), initialises its entry, and
    /// instantiates the plugin with id `plugin_id` on the calling thread, which becomes the
    /// instance's main thread.
    pub fn load(clap_path: &Path, plugin_id: &str) -> Result<Self, HostError> {
        let path = clap_path
            .to_str()
            .ok_or_else(|| HostError::Load(format!("non UTF-8 path {}", clap_path.display())))?;
        // SAFETY: loading a shared object runs its initialisers; that is the point of a plugin
        // host, and the file is the plugin under test.
        let entry = unsafe { PluginEntry::load(path) }
            .map_err(|e| HostError::Load(format!("{}: {e}", clap_path.display())))?;
        let factory = entry
            .get_plugin_factory()
            .ok_or_else(|| HostError::PluginNotFound(plugin_id.to_owned()))?;
        let descriptor = factory
            .plugin_descriptors()
            .find(|d| {
                d.id()
                    .is_some_and(|id| id.to_bytes() == plugin_id.as_bytes())
            })
            .ok_or_else(|| HostError::PluginNotFound(plugin_id.to_owned()))?;
        let descriptor = PluginDescriptorInfo {
            id: cstr_to_string(descriptor.id()),
            name: cstr_to_string(descriptor.name()),
            vendor: cstr_to_string(descriptor.vendor()),
            version: cstr_to_string(descriptor.version()),
            description: cstr_to_string(descriptor.description()),
            features: descriptor
                .features()
                .map(|f| f.to_string_lossy().into_owned())
                .collect(),
        };
        let id_c =
            CString::new(plugin_id).map_err(|_| HostError::PluginNotFound(plugin_id.to_owned()))?;
        let instance = PluginInstance::<OfflineHost>::new(
            |_| SharedRequests::default(),
            |_| (),
            &entry,
            &id_c,
            &host_info(),
        )?;
        let shared = instance.plugin_shared_handle();
        let params_ext = shared.get_extension();
        let state_ext = shared.get_extension();
        let audio_ports_ext = shared.get_extension();
        let note_ports_ext = shared.get_extension();
        Ok(Self {
            instance,
            descriptor,
            params_ext,
            state_ext,
            audio_ports_ext,
            note_ports_ext,
            _entry: entry,
        })
    }

    /// The plugin's descriptor, as read from the entry's plugin factory.
    pub fn descriptor(&self) -> &PluginDescriptorInfo {
        &self.descriptor
    }

    /// The audio ports of one direction (`is_input`), in index order.
    pub fn audio_ports(&mut self, is_input: bool) -> Result<Vec<AudioPortInfo>, HostError> {
        self.poll_main_thread();
        let ext = self
            .audio_ports_ext
            .ok_or(HostError::MissingExtension("clap.audio-ports"))?;
        let handle = self.instance.plugin_handle();
        let mut buffer = AudioPortInfoBuffer::new();
        let count = ext.count(&handle, is_input);
        let mut ports = Vec::new();
        for index in 0..count {
            let info = ext
                .get(&handle, index, is_input, &mut buffer)
                .ok_or(HostError::MissingExtension("clap.audio-ports get()"))?;
            ports.push(AudioPortInfo {
                id: info.id.get(),
                name: bytes_to_string(info.name),
                channel_count: info.channel_count,
                port_type: info.port_type.map(|t| t.0.to_string_lossy().into_owned()),
                is_main: info.flags.contains(AudioPortFlags::IS_MAIN),
            });
        }
        Ok(ports)
    }

    /// The note ports of one direction (`is_input`), in index order.
    pub fn note_ports(&mut self, is_input: bool) -> Result<Vec<NotePortInfo>, HostError> {
        self.poll_main_thread();
        let ext = self
            .note_ports_ext
            .ok_or(HostError::MissingExtension("clap.note-ports"))?;
        let handle = self.instance.plugin_handle();
        let mut buffer = NotePortInfoBuffer::new();
        let count = ext.count(&handle, is_input);
        let mut ports = Vec::new();
        for index in 0..count {
            let info = ext
                .get(&handle, index, is_input, &mut buffer)
                .ok_or(HostError::MissingExtension("clap.note-ports get()"))?;
            ports.push(NotePortInfo {
                id: info.id.get(),
                name: bytes_to_string(info.name),
                supported: NoteDialects::from_clack(info.supported_dialects),
                preferred: NoteDialects::from_clack(
                    info.preferred_dialect
                        .map(Into::into)
                        .unwrap_or(note_ports::NoteDialects::empty()),
                ),
            });
        }
        Ok(ports)
    }

    /// Activates the plugin for `sample_rate` and blocks of `min_frames..=max_frames` frames,
    /// and returns the audio processor (stopped; call [`AudioProcessor::start_processing`]).
    ///
    /// Output buffers are sized here, on the main thread, from the declared output ports.
    pub fn activate(
        &mut self,
        sample_rate: f64,
        min_frames: u32,
        max_frames: u32,
    ) -> Result<AudioProcessor, HostError> {
        if min_frames == 0 || min_frames > max_frames {
            return Err(HostError::BlockSize {
                frames: min_frames,
                max_frames,
            });
        }
        let outputs = self.audio_ports(false)?;
        let channels: Vec<u32> = outputs.iter().map(|p| p.channel_count).collect();
        let config = PluginAudioConfiguration {
            sample_rate,
            min_frames_count: min_frames,
            max_frames_count: max_frames,
        };
        let stopped = self.instance.activate(|_, _| (), config)?;
        Ok(AudioProcessor::new(
            stopped,
            &channels,
            sample_rate,
            max_frames,
        ))
    }

    /// Stops (if needed) and deactivates the processor, on the main thread as CLAP requires.
    pub fn deactivate(&mut self, processor: AudioProcessor) {
        self.instance.deactivate(processor.into_stopped());
        self.poll_main_thread();
    }

    /// Whether the instance is currently activated.
    pub fn is_active(&self) -> bool {
        self.instance.is_active()
    }

    /// Runs the plugin's `on_main_thread` callback if it asked for one, as a DAW's event loop
    /// does. Every main-thread method of this type calls it first.
    pub fn poll_main_thread(&mut self) {
        let requested = self
            .instance
            .access_shared_handler(SharedRequests::take_callback_request);
        if requested {
            self.instance.call_on_main_thread_callback();
        }
    }

    /// Takes the plugin's pending request to be restarted (deactivated and re-activated).
    pub fn take_restart_request(&mut self) -> bool {
        self.instance
            .access_shared_handler(SharedRequests::take_restart_request)
    }

    pub(crate) fn main_thread_handle(&mut self) -> PluginMainThreadHandle<'_> {
        self.instance.plugin_handle()
    }

    pub(crate) fn inactive_handle(&mut self) -> Option<InactivePluginMainThreadHandle<'_>> {
        self.instance.inactive_plugin_handle()
    }
}

impl Drop for PluginHost {
    fn drop(&mut self) {
        // A processor dropped without `deactivate` leaves the instance active; deactivate it here
        // so the plugin is destroyed instead of leaked.
        if self.instance.is_active() {
            let _ = self.instance.try_deactivate();
        }
    }
}
