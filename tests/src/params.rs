//! Parameters as CLAP exposes them: numeric ids, names, modules, ranges, text conversions.

use std::ffi::CString;

use clack_extensions::params::{ParamInfoBuffer, ParamInfoFlags, PluginParams};
use clack_host::events::event_types::ParamValueEvent;
use clack_host::prelude::*;

use crate::error::HostError;
use crate::host::{PluginHost, bytes_to_string};

/// CLAP parameter flags (`CLAP_PARAM_IS_*`), as the plugin reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamFlags(pub u32);

impl ParamFlags {
    fn has(self, flag: ParamInfoFlags) -> bool {
        self.0 & flag.bits() != 0
    }

    /// The value only takes integer steps between min and max.
    pub fn is_stepped(self) -> bool {
        self.has(ParamInfoFlags::IS_STEPPED)
    }

    /// The host may record automation for it.
    pub fn is_automatable(self) -> bool {
        self.has(ParamInfoFlags::IS_AUTOMATABLE)
    }

    /// The host may modulate it.
    pub fn is_modulatable(self) -> bool {
        self.has(ParamInfoFlags::IS_MODULATABLE)
    }

    /// Not shown to the user.
    pub fn is_hidden(self) -> bool {
        self.has(ParamInfoFlags::IS_HIDDEN)
    }

    /// The host cannot change it.
    pub fn is_readonly(self) -> bool {
        self.has(ParamInfoFlags::IS_READONLY)
    }

    /// The plugin's bypass switch.
    pub fn is_bypass(self) -> bool {
        self.has(ParamInfoFlags::IS_BYPASS)
    }
}

/// One parameter as CLAP describes it.
///
/// nice-plug exposes every parameter with a numeric id that is [`param_id_hash`] of its string
/// id, a `module` that is its group path, and a plain range of `0..=1` (continuous) or
/// `0..=steps` (stepped); `min`/`max`/`default` are in that CLAP-visible range.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// The numeric CLAP id.
    pub id: u32,
    /// The display name.
    pub name: String,
    /// The module (group path, `/`-separated), empty for top-level parameters.
    pub module: String,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Default value.
    pub default: f64,
    /// CLAP flags.
    pub flags: ParamFlags,
}

/// The CLAP id nice-plug derives from a parameter's string id (a Java-style 31 hash with the top
/// bit cleared, see `nice_plug::wrapper::util::hash_param_id`).
pub fn param_id_hash(string_id: &str) -> u32 {
    let hash = string_id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    hash & !(1 << 31)
}

const TEXT_CAPACITY: usize = 256;

impl PluginHost {
    fn params_ext(&self) -> Result<PluginParams, HostError> {
        self.params_ext
            .ok_or(HostError::MissingExtension("clap.params"))
    }

    /// Every parameter, in the plugin's index order.
    pub fn params(&mut self) -> Result<Vec<ParamInfo>, HostError> {
        self.poll_main_thread();
        let ext = self.params_ext()?;
        let handle = self.main_thread_handle();
        let mut buffer = ParamInfoBuffer::new();
        let count = ext.count(&handle);
        let mut params = Vec::with_capacity(count as usize);
        for index in 0..count {
            let info = ext
                .get_info(&handle, index, &mut buffer)
                .ok_or(HostError::Param {
                    id: index,
                    action: "get_info (by index)",
                })?;
            params.push(ParamInfo {
                id: info.id.get(),
                name: bytes_to_string(info.name),
                module: bytes_to_string(info.module),
                min: info.min_value,
                max: info.max_value,
                default: info.default_value,
                flags: ParamFlags(info.flags.bits()),
            });
        }
        Ok(params)
    }

    /// The parameter whose CLAP id is `id`.
    pub fn param(&mut self, id: u32) -> Result<ParamInfo, HostError> {
        self.params()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(HostError::Param {
                id,
                action: "lookup",
            })
    }

    /// The parameter's current value (CLAP `get_value`).
    pub fn get_value(&mut self, id: u32) -> Result<f64, HostError> {
        self.poll_main_thread();
        let ext = self.params_ext()?;
        ext.get_value(&self.main_thread_handle(), ClapId::new(id))
            .ok_or(HostError::Param {
                id,
                action: "get_value",
            })
    }

    /// The plugin's display text for `value` of parameter `id` (CLAP `value_to_text`).
    pub fn value_to_text(&mut self, id: u32, value: f64) -> Result<String, HostError> {
        self.poll_main_thread();
        let ext = self.params_ext()?;
        let mut buffer = [0u8; TEXT_CAPACITY];
        let text = ext
            .value_to_text(
                &self.main_thread_handle(),
                ClapId::new(id),
                value,
                &mut buffer,
            )
            .map_err(|_| HostError::Param {
                id,
                action: "value_to_text",
            })?;
        Ok(bytes_to_string(text))
    }

    /// The value the plugin parses from `text` for parameter `id` (CLAP `text_to_value`).
    pub fn text_to_value(&mut self, id: u32, text: &str) -> Result<f64, HostError> {
        self.poll_main_thread();
        let ext = self.params_ext()?;
        let text = CString::new(text).map_err(|_| HostError::Param {
            id,
            action: "text_to_value (text contains NUL)",
        })?;
        ext.text_to_value(&self.main_thread_handle(), ClapId::new(id), &text)
            .ok_or(HostError::Param {
                id,
                action: "text_to_value",
            })
    }

    /// Sets parameter values while the plugin is inactive, through CLAP `params.flush` (what a
    /// host does when the user edits a parameter of a plugin that is not processing).
    pub fn flush_params(&mut self, values: &[(u32, f64)]) -> Result<(), HostError> {
        self.poll_main_thread();
        let ext = self.params_ext()?;
        let mut input = EventBuffer::with_capacity(values.len());
        for &(id, value) in values {
            input.push(&ParamValueEvent::new(
                0,
                ClapId::new(id),
                Pckn::match_all(),
                value,
            ));
        }
        let mut output = EventBuffer::new();
        let mut handle = self.inactive_handle().ok_or(HostError::ProcessingState(
            "flush_params needs an inactive plugin; send param events to process() instead",
        ))?;
        ext.flush(&mut handle, &input.as_input(), &mut output.as_output());
        Ok(())
    }
}
