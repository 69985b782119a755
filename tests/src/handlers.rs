//! The host-side callbacks clack-host needs: what the plugin may ask of its host.

use std::sync::atomic::{AtomicBool, Ordering};

use clack_host::prelude::*;

/// Marker type tying the host's handler types together for clack-host.
pub(crate) struct OfflineHost;

/// Host state shared by every thread: the plugin's requests, recorded as flags that the main
/// thread polls (as a DAW's event loop would).
#[derive(Default)]
pub(crate) struct SharedRequests {
    callback_requested: AtomicBool,
    restart_requested: AtomicBool,
    process_requested: AtomicBool,
}

impl SharedRequests {
    /// Takes (and clears) the plugin's request for an `on_main_thread` callback.
    pub(crate) fn take_callback_request(&self) -> bool {
        self.callback_requested.swap(false, Ordering::AcqRel)
    }

    /// Takes (and clears) the plugin's request to be restarted (deactivated and reactivated).
    pub(crate) fn take_restart_request(&self) -> bool {
        self.restart_requested.swap(false, Ordering::AcqRel)
    }
}

impl SharedHandler<'_> for SharedRequests {
    fn request_restart(&self) {
        self.restart_requested.store(true, Ordering::Release);
    }

    fn request_process(&self) {
        self.process_requested.store(true, Ordering::Release);
    }

    fn request_callback(&self) {
        self.callback_requested.store(true, Ordering::Release);
    }
}

impl HostHandlers for OfflineHost {
    type Shared<'a> = SharedRequests;
    type MainThread<'a> = ();
    type AudioProcessor<'a> = ();
}

/// The identity this host gives the plugin.
pub(crate) fn host_info() -> HostInfo {
    HostInfo::new(
        "Octolane offline test host",
        "Octolane",
        "https://octolane.dev",
        env!("CARGO_PKG_VERSION"),
    )
    .expect("host info strings contain no NUL byte")
}
