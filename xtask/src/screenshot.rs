//! `cargo xtask screenshot`: runs the standalone app under a virtual X server and saves its
//! window to `docs/screenshot.png`.

use crate::system;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Virtual screen size and depth.
const SCREEN: &str = "1280x800x24";
/// The window title to look for (the plugin's name).
const WINDOW_NAME: &str = "Octolane";
/// How long to wait for the window to appear.
const WINDOW_TIMEOUT: Duration = Duration::from_secs(30);
/// Time for the editor to draw its first frames after the window maps.
const SETTLE: Duration = Duration::from_secs(2);

/// Builds the standalone app, shows it on a virtual display and captures its window.
pub fn screenshot() -> Result<()> {
    system::ensure_packages(&[
        ("cc", "build-essential"),
        ("pkg-config", "pkg-config"),
        ("alsa", "libasound2-dev"),
        ("jack", "libjack-jackd2-dev"),
        ("Xvfb", "xvfb"),
        ("import", "imagemagick"),
        ("xdotool", "xdotool"),
        ("libGL.so.1", "libgl1"),
        ("libGLX_mesa.so.0", "libglx-mesa0"),
    ])?;

    eprintln!("Building the standalone app (release)…");
    let mut build = system::cargo();
    build.args([
        "build",
        "--release",
        "-p",
        "octolane",
        "--features",
        "standalone",
        "--bin",
        "octolane",
    ]);
    system::run(&mut build, "building the standalone app")?;
    let app = system::target_dir().join("release").join("octolane");

    let display = free_display().context("no free X display number between :99 and :199")?;
    let _xvfb = start_xvfb(display)?;
    let display_env = format!(":{display}");

    let log_path = system::target_dir().join("screenshot-app.log");
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("could not create {}", log_path.display()))?;
    let log_err = log.try_clone().context("could not share the app log")?;
    let mut app_process = Command::new(&app)
        .args(["--backend", "dummy"])
        .env("DISPLAY", &display_env)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .with_context(|| format!("could not start {}", app.display()))?;
    let app_guard = KillOnDrop::new(&mut app_process);

    let window = wait_for_window(&display_env, app_guard.child, &log_path)?;
    let docs = system::workspace_root().join("docs");
    std::fs::create_dir_all(&docs)
        .with_context(|| format!("could not create {}", docs.display()))?;
    // Each view: what to click first (window coordinates: a header tab, then for the
    // Performance view its measuring switch, so the graph has a few seconds of data).
    let views: [(&[(&str, &str)], &str); 3] = [
        (&[], "screenshot.png"),
        (&[("864", "27")], "screenshot-motion.png"),
        (
            &[("972", "27"), ("101", "110")],
            "screenshot-performance.png",
        ),
    ];
    for (clicks, file) in views {
        for (x, y) in clicks {
            let _ = Command::new("xdotool")
                .args(["mousemove", "--window", &window, "--sync", x, y])
                .args(["sleep", "0.3", "click", "1"])
                .env("DISPLAY", &display_env)
                .status();
            sleep(SETTLE);
        }
        if clicks.len() > 1 {
            sleep(Duration::from_secs(3));
        }
        // Park the pointer in the screen's corner so no hover highlight or tooltip shows.
        let _ = Command::new("xdotool")
            .args(["mousemove", "--sync", "1279", "799"])
            .env("DISPLAY", &display_env)
            .status();
        sleep(SETTLE);
        let out = docs.join(file);
        let mut import = Command::new("import");
        import
            .args(["-window", &window])
            .arg(&out)
            .env("DISPLAY", &display_env);
        system::run(&mut import, "import (ImageMagick)")?;
        println!("Saved {}", out.display());
    }
    drop(app_guard);
    Ok(())
}

/// A child process that is killed and reaped when this goes out of scope.
struct KillOnDrop<'a> {
    child: &'a mut Child,
}

impl<'a> KillOnDrop<'a> {
    fn new(child: &'a mut Child) -> Self {
        KillOnDrop { child }
    }
}

impl Drop for KillOnDrop<'_> {
    fn drop(&mut self) {
        terminate(self.child);
    }
}

/// The running Xvfb, stopped on drop.
struct Xvfb {
    child: Child,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// Asks a child of ours to stop (SIGTERM, so Xvfb removes its lock and socket), and kills it
/// if it has not exited after a few seconds.
fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(3) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The first display number from 99 that no running X server holds (a lock file whose process
/// is gone is stale, and Xvfb replaces it).
fn free_display() -> Option<u32> {
    (99..200).find(
        |n| match std::fs::read_to_string(format!("/tmp/.X{n}-lock")) {
            Ok(lock) => lock
                .trim()
                .parse::<u32>()
                .is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()),
            Err(_) => !socket_path(*n).exists(),
        },
    )
}

fn socket_path(display: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X11-unix/X{display}"))
}

/// Starts Xvfb on `display` and waits until its socket appears.
fn start_xvfb(display: u32) -> Result<Xvfb> {
    let child = Command::new("Xvfb")
        .arg(format!(":{display}"))
        .args(["-screen", "0", SCREEN, "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("could not start Xvfb")?;
    let mut xvfb = Xvfb { child };
    let start = Instant::now();
    while !socket_path(display).exists() {
        if let Ok(Some(status)) = xvfb.child.try_wait() {
            bail!("Xvfb :{display} exited at start ({status})");
        }
        if start.elapsed() > Duration::from_secs(10) {
            bail!("Xvfb :{display} did not come up within 10 s");
        }
        sleep(Duration::from_millis(100));
    }
    eprintln!("Xvfb running on :{display} ({SCREEN})");
    Ok(xvfb)
}

/// Polls `xdotool search` until the app's window shows up, or the app dies, or time runs out.
fn wait_for_window(display: &str, app: &mut Child, log: &Path) -> Result<String> {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = app.try_wait() {
            bail!(
                "the app exited before showing a window ({status}); its output:\n{}",
                tail(log)
            );
        }
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", WINDOW_NAME])
            .env("DISPLAY", display)
            .stderr(Stdio::null())
            .output();
        if let Ok(out) = found {
            let ids = String::from_utf8_lossy(&out.stdout);
            if let Some(id) = ids.lines().map(str::trim).find(|l| !l.is_empty()) {
                return Ok(id.to_string());
            }
        }
        if start.elapsed() > WINDOW_TIMEOUT {
            bail!(
                "no window named {WINDOW_NAME:?} appeared within {} s; the app's output:\n{}",
                WINDOW_TIMEOUT.as_secs(),
                tail(log)
            );
        }
        sleep(Duration::from_millis(500));
    }
}

/// The last lines of a log file, for error messages.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
