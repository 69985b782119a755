//! `cargo xtask install`: copies the bundled plugin into the per-user plugin folders that
//! Bitwig Studio, Reaper and Ardour scan (`~/.clap`, `~/.vst3`).

use crate::bundle::{self, BUNDLE_NAME};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;

/// Copies `target/bundled/Octolane.clap` into `~/.clap/` and `Octolane.vst3/` into `~/.vst3/`,
/// replacing older copies, and prints where they went.
pub fn install() -> Result<()> {
    let bundled = bundle::bundled_dir();
    let clap = bundle::clap_bundle(&bundled);
    let vst3 = bundle::vst3_bundle(&bundled);
    if !clap.exists() || !vst3.exists() {
        bail!(
            "no bundled plugin in {} (expected {BUNDLE_NAME}.clap and {BUNDLE_NAME}.vst3).\n\
             Build it first with `cargo xtask bundle octolane --release` (or run `cargo xtask demo`).",
            bundled.display()
        );
    }
    let home = home_dir()?;
    let targets = [(clap, home.join(".clap")), (vst3, home.join(".vst3"))];
    for (from, folder) in targets {
        let name = from
            .file_name()
            .context("bundle path has no file name")?
            .to_owned();
        let to = folder.join(name);
        bundle::replace_with_copy(&from, &to)
            .with_context(|| format!("installing {}", from.display()))?;
        println!("Installed {}", to.display());
    }
    println!("Rescan plugins in your DAW (CLAP: ~/.clap, VST3: ~/.vst3) to pick up the new build.");
    Ok(())
}

/// `$HOME`, which must be set and absolute.
fn home_dir() -> Result<PathBuf> {
    match std::env::var_os("HOME").map(PathBuf::from) {
        Some(home) if home.is_absolute() => Ok(home),
        _ => bail!("$HOME is not set to an absolute path; cannot find ~/.clap and ~/.vst3"),
    }
}
