//! Link the plugin so `dlclose` never unmaps it. Dependencies register thread-local
//! destructors on host threads (audio and GUI threads outlive a plugin instance); if a host
//! unloaded the library, those destructors would jump into unmapped code when the threads
//! exit. Hosts differ in whether they ever unload, so the plugin makes it safe itself.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}
