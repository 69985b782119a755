//! Plugin state save and load (CLAP `state` extension), as opaque bytes.

use std::io::Cursor;

use clack_extensions::state::PluginState;

use crate::error::HostError;
use crate::host::PluginHost;

impl PluginHost {
    fn state_ext(&self) -> Result<PluginState, HostError> {
        self.state_ext
            .ok_or(HostError::MissingExtension("clap.state"))
    }

    /// Saves the plugin's state, as a DAW does when it saves a project.
    pub fn save_state(&mut self) -> Result<Vec<u8>, HostError> {
        self.poll_main_thread();
        let ext = self.state_ext()?;
        let mut bytes = Vec::new();
        ext.save(&self.main_thread_handle(), &mut bytes)
            .map_err(|_| HostError::StateSave)?;
        Ok(bytes)
    }

    /// Loads a state previously returned by [`PluginHost::save_state`] (or any bytes: a plugin
    /// must refuse a state it cannot read, which is reported as [`HostError::StateLoad`]).
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<(), HostError> {
        self.poll_main_thread();
        let ext = self.state_ext()?;
        let mut reader = Cursor::new(bytes);
        let result = ext
            .load(&self.main_thread_handle(), &mut reader)
            .map_err(|_| HostError::StateLoad);
        // The plugin may schedule work (parameter rescans) for the main thread after a load.
        self.poll_main_thread();
        result
    }
}
