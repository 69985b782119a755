//! `cargo xtask bundle`: nice-plug-xtask's bundler, which writes `target/bundled/Octolane.clap`
//! and `target/bundled/Octolane.vst3/`.

use crate::system;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The package that holds the plugin.
pub const PLUGIN_PACKAGE: &str = "octolane";
/// The bundle name from `bundler.toml`.
pub const BUNDLE_NAME: &str = "Octolane";

/// Passes a `bundle …` command line straight to nice-plug-xtask.
pub fn run_nice_plug_xtask(args: Vec<String>) -> Result<()> {
    nice_plug_xtask::main_with_args("cargo xtask", args)
}

/// Builds and bundles the plugin (release or debug) and returns the bundle directory.
pub fn bundle_plugin(release: bool) -> Result<PathBuf> {
    system::ensure_packages(&[("cc", "build-essential")])?;
    let mut args = vec!["bundle".to_string(), PLUGIN_PACKAGE.to_string()];
    if release {
        args.push("--release".to_string());
    }
    let profile = if release { "release" } else { "debug" };
    eprintln!("Bundling {BUNDLE_NAME} ({profile})…");
    run_nice_plug_xtask(args).with_context(|| format!("bundling {BUNDLE_NAME} ({profile})"))?;
    let bundled = bundled_dir();
    let clap = clap_bundle(&bundled);
    if !clap.exists() {
        bail!("the bundler finished but {} does not exist", clap.display());
    }
    Ok(bundled)
}

/// `target/bundled`.
pub fn bundled_dir() -> PathBuf {
    system::target_dir().join("bundled")
}

/// `<dir>/Octolane.clap`.
pub fn clap_bundle(dir: &Path) -> PathBuf {
    dir.join(format!("{BUNDLE_NAME}.clap"))
}

/// `<dir>/Octolane.vst3`.
pub fn vst3_bundle(dir: &Path) -> PathBuf {
    dir.join(format!("{BUNDLE_NAME}.vst3"))
}

/// Replaces `to` with a copy of `from`, a file or a directory tree.
///
/// The old copy is removed first rather than overwritten in place, so a host that has the old
/// library mapped keeps its (now unlinked) file instead of crashing on a rewritten one.
pub fn replace_with_copy(from: &Path, to: &Path) -> Result<()> {
    if !from.exists() {
        bail!("{} does not exist", from.display());
    }
    remove_any(to)?;
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    copy_tree(from, to)
}

/// Removes a file, symlink or directory tree if it exists.
fn remove_any(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let removed = if meta.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    removed.with_context(|| format!("could not remove the old {}", path.display()))
}

/// Copies a file, or a directory recursively (permissions preserved by `fs::copy`).
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)
            .with_context(|| format!("could not create {}", to.display()))?;
        let entries = std::fs::read_dir(from)
            .with_context(|| format!("could not read {}", from.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("could not read {}", from.display()))?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to)
            .map(|_| ())
            .with_context(|| format!("could not copy {} to {}", from.display(), to.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_directory_tree_with_a_fresh_copy() {
        let base = std::env::temp_dir().join(format!("octolane-xtask-copy-{}", std::process::id()));
        let from = base.join("from.vst3");
        let to = base.join("dest/to.vst3");
        std::fs::create_dir_all(from.join("Contents/x86_64-linux")).unwrap();
        std::fs::write(from.join("Contents/x86_64-linux/lib.so"), b"new").unwrap();
        std::fs::create_dir_all(to.join("stale")).unwrap();
        replace_with_copy(&from, &to).unwrap();
        let copied = std::fs::read(to.join("Contents/x86_64-linux/lib.so")).unwrap();
        assert_eq!(copied, b"new");
        assert!(!to.join("stale").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
