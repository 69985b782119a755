//! System prerequisites: finding tools and libraries, installing Debian packages when allowed,
//! and running child processes with clear errors.

use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Makes sure every `(name, debian_package)` pair is satisfied.
///
/// `name` is what proves the package is present:
/// - an executable on `PATH` (`"cc"`, `"Xvfb"`, `"import"`),
/// - a shared library known to the dynamic linker when it contains `.so` (`"libGL.so.1"`),
/// - otherwise a `pkg-config` module (`"alsa"`, `"jack"`).
///
/// Missing packages are installed with `apt-get` when running as root on Debian or Ubuntu.
/// Otherwise this prints the exact `sudo apt-get install …` line and fails.
pub fn ensure_packages(needs: &[(&str, &str)]) -> Result<()> {
    let missing = missing_packages(needs);
    if missing.is_empty() {
        return Ok(());
    }
    let packages = missing_debian_packages(needs, &missing);
    let listing = describe(needs, &missing);

    if is_root() && is_debian_like() && find_executable("apt-get").is_some() {
        eprintln!(
            "Installing missing system packages ({listing}): {}",
            packages.join(" ")
        );
        apt_get_install(&packages)?;
        let still_missing = missing_packages(needs);
        if !still_missing.is_empty() {
            bail!(
                "installed {} but still missing: {}",
                packages.join(" "),
                describe(needs, &still_missing)
            );
        }
        return Ok(());
    }

    let line = format!("sudo apt-get install -y {}", packages.join(" "));
    if is_debian_like() {
        bail!("missing system packages ({listing}). Install them with:\n\n    {line}\n");
    }
    bail!(
        "missing system packages ({listing}). On Debian or Ubuntu they come from:\n\n    {line}\n\n\
         On other systems install the equivalent packages."
    )
}

/// The names from `needs` that are not satisfied on this machine.
fn missing_packages<'a>(needs: &[(&'a str, &str)]) -> Vec<&'a str> {
    needs
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !is_present(name))
        .collect()
}

/// The Debian packages (deduplicated, in order) that provide the missing names.
fn missing_debian_packages(needs: &[(&str, &str)], missing: &[&str]) -> Vec<String> {
    let mut packages: Vec<String> = Vec::new();
    for (name, package) in needs {
        if missing.contains(name) && !packages.iter().any(|p| p == package) {
            packages.push((*package).to_string());
        }
    }
    packages
}

/// `"Xvfb (xvfb), alsa (libasound2-dev)"`.
fn describe(needs: &[(&str, &str)], missing: &[&str]) -> String {
    needs
        .iter()
        .filter(|(name, _)| missing.contains(name))
        .map(|(name, package)| format!("{name} ({package})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `name` is an executable on `PATH`, a loadable library, or a pkg-config module.
fn is_present(name: &str) -> bool {
    if find_executable(name).is_some() {
        return true;
    }
    if name.contains(".so") {
        return shared_library_known(name);
    }
    find_executable("pkg-config").is_some()
        && Command::new("pkg-config")
            .args(["--exists", name])
            .status()
            .is_ok_and(|s| s.success())
}

/// Whether the dynamic linker's cache lists `soname`.
fn shared_library_known(soname: &str) -> bool {
    let ldconfig = find_executable("ldconfig")
        .or_else(|| Some(PathBuf::from("/sbin/ldconfig")).filter(|p| p.exists()));
    let Some(ldconfig) = ldconfig else {
        return false;
    };
    Command::new(ldconfig).arg("-p").output().is_ok_and(|out| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|line| line.trim_start().starts_with(&format!("{soname} ")))
    })
}

/// The full path of an executable found on `PATH`.
pub fn find_executable(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Whether this process runs as root (effective uid 0).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|uids| uids.split_whitespace().nth(1).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Whether this is Debian, Ubuntu or a derivative (so that `apt-get` names make sense).
pub fn is_debian_like() -> bool {
    if Path::new("/etc/debian_version").exists() {
        return true;
    }
    std::fs::read_to_string("/etc/os-release").is_ok_and(|release| {
        release.lines().any(|line| {
            (line.starts_with("ID=") || line.starts_with("ID_LIKE="))
                && (line.contains("debian") || line.contains("ubuntu"))
        })
    })
}

/// `apt-get update` followed by a non-interactive `apt-get install -y`.
fn apt_get_install(packages: &[String]) -> Result<()> {
    let mut update = Command::new("apt-get");
    update
        .args(["update", "-qq"])
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut update, "apt-get update")?;
    let mut install = Command::new("apt-get");
    install
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install, "apt-get install")
}

/// The cargo that runs this xtask (`$CARGO`), falling back to `cargo` on `PATH`.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

/// Runs `command` to completion with inherited stdio; fails naming `what` unless it exits 0.
pub fn run(command: &mut Command, what: &str) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("could not start {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// The workspace root: the parent of this crate's manifest directory.
pub fn workspace_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}

/// Cargo's target directory (`$CARGO_TARGET_DIR`, or `target/` in the workspace root).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        _ => workspace_root().join("target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_shell_and_not_a_nonsense_name() {
        assert!(find_executable("sh").is_some());
        assert!(!is_present("octolane-no-such-tool-or-module"));
    }

    #[test]
    fn lists_each_missing_package_once() {
        let needs = [("a", "pkg-x"), ("b", "pkg-x"), ("c", "pkg-y")];
        let packages = missing_debian_packages(&needs, &["a", "b"]);
        assert_eq!(packages, vec!["pkg-x".to_string()]);
        assert_eq!(describe(&needs, &["c"]), "c (pkg-y)");
    }
}
