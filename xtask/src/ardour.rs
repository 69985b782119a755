//! `cargo xtask ardour`: an independent conformance check of the VST3 build in a real host.
//!
//! Bundles (release) and installs the plugin, then runs Ardour 7 headless through its Lua session
//! tool (`ardour7-lua`) with `tests/ardour/vst3_smoke.lua`: Ardour's own VST3 scanner indexes the
//! installed bundle, Ardour instantiates it on a MIDI track, lists and sets parameters, plays
//! notes through it and exports the master bus to WAV, saves the session, and a second Ardour
//! process reopens it and checks the changed parameter. The WAV files and the saved plugin state
//! are checked here, outside Ardour. Run by hand; Ardour is too heavy for CI.
//!
//! Everything Ardour writes goes to `target/ardour-smoke/` (a private `$HOME`, the session, the
//! exports), which is wiped at the start and kept afterwards for inspection.

use crate::{bundle, install, system};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The parameter the script changes (Ardour's label), its id in the plugin's saved state, and
/// the value (plain units; the default is 0.5).
const PARAM_LABEL: &str = "Osc 1 Pulse Width";
const PARAM_ID: &str = "osc1_pw";
const PARAM_VALUE: f64 = 0.3;
/// Id of the export preset written into the private Ardour config (32-bit float WAV, session
/// rate; its format is Ardour's stock "BWAV 32float Export").
const EXPORT_PRESET_ID: &str = "6a1b3f53-7e5c-4c16-9a3e-0c7a0b3d5e11";
const EXPORT_FORMAT_ID: &str = "20b4ab09-6452-4cb3-bd66-b921cdbd2942";
/// Note events the script's MIDI source plays in the export range.
const NOTE_EVENTS: u32 = 8;
/// Below this peak a render counts as silent (about -80 dBFS).
const SILENCE: f64 = 1e-4;
/// How far the render after reloading may drift from the first one.
const RELOAD_RMS_TOLERANCE_DB: f64 = 1.0;
/// Per Ardour process.
const ARDOUR_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs the check and prints a PASS/FAIL summary; fails if any check failed.
pub fn ardour() -> Result<()> {
    system::ensure_packages(&[("ardour7-lua", "ardour")])?;
    let lua = system::find_executable("ardour7-lua").context("ardour7-lua is not on PATH")?;
    let scanner = find_vst3_scanner()?;

    bundle::bundle_plugin(true)?;
    install::install()?;
    let installed = home_dir()?
        .join(".vst3")
        .join(format!("{}.vst3", bundle::BUNDLE_NAME));

    let root = system::target_dir().join("ardour-smoke");
    if root.exists() {
        std::fs::remove_dir_all(&root)
            .with_context(|| format!("could not remove {}", root.display()))?;
    }
    let home = root.join("home");
    let vst3_dir = root.join("vst3");
    let work = root.join("work");
    std::fs::create_dir_all(&work)?;
    prepare_ardour_config(&home)?;

    // Scan a private snapshot of the installed bundle so that a rebuild by someone else during
    // the run cannot change the plugin under Ardour (which then ignores its stale cache entry).
    let snapshot = vst3_dir.join(format!("{}.vst3", bundle::BUNDLE_NAME));
    bundle::replace_with_copy(&installed, &snapshot)?;
    backdate_files(&snapshot)?;

    println!(
        "Scanning {} with {} …",
        snapshot.display(),
        scanner.display()
    );
    let scan = run_scanner(&scanner, &home, &snapshot)?;

    let env = SmokeEnv {
        lua: &lua,
        script: &system::workspace_root()
            .join("tests")
            .join("ardour")
            .join("vst3_smoke.lua"),
        home: &home,
        vst3_dir: &vst3_dir,
        work: &work,
    };
    println!("Running Ardour (create: scan, instantiate, parameters, render, save) …");
    let create = env.run_with_retry("create")?;
    let reload = if create.completed("create") {
        println!("Running Ardour again (reload the saved session, render) …");
        Some(env.run_with_retry("reload")?)
    } else {
        None
    };

    let checks = evaluate(&scan, &create, reload.as_ref(), &work);
    println!();
    println!("Ardour VST3 smoke test ({})", lua.display());
    let mut failed = 0;
    for check in &checks {
        let mark = if check.ok { "PASS" } else { "FAIL" };
        println!("  {mark}  {:<34} {}", check.name, check.detail);
        if !check.ok {
            failed += 1;
        }
    }
    for run in std::iter::once(&create).chain(reload.as_ref()) {
        if let Some(status) = &run.retried {
            println!(
                "  note: the first ardour7-lua ({}) attempt crashed (status {status}) and was \
                 retried",
                run.phase
            );
        }
        if run.crashed_in_teardown() {
            let last = run.output.lines().last().unwrap_or_default();
            println!(
                "  note: ardour7-lua ({}) died after the script had finished and closed the \
                 session (status {}, last line \"{last}\"): Ardour 7.3's export heap corruption, \
                 which also happens with its own LV2 synth",
                run.phase, run.status
            );
        }
    }
    println!("  (files in {})", root.display());
    if failed > 0 {
        for run in std::iter::once(&create).chain(reload.as_ref()) {
            if !run.succeeded() {
                eprintln!(
                    "\n--- ardour7-lua {} (status {}) ---\n{}",
                    run.phase, run.status, run.output
                );
            }
        }
        bail!("{failed} of {} Ardour checks failed", checks.len());
    }
    println!("PASS: all {} Ardour checks", checks.len());
    Ok(())
}

/// One check in the summary.
struct Check {
    name: &'static str,
    ok: bool,
    detail: String,
}

fn check(name: &'static str, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        name,
        ok,
        detail: detail.into(),
    }
}

/// Turns the scanner output, both Ardour runs and the files they wrote into checks.
fn evaluate(scan: &str, create: &Run, reload: Option<&Run>, work: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    let found = scan.contains("Found Plugin: Octolane");
    let buses: Vec<&str> = scan
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[Info]: VST3: "))
        .filter(|l| l.contains("n_busses: 1") || l.contains("- bus"))
        .collect();
    checks.push(check(
        "Ardour's VST3 scanner",
        found,
        if found {
            format!("found Octolane; {}", buses.join("; "))
        } else {
            "ardour-vst3-scanner did not report the plugin".to_string()
        },
    ));

    let facts = &create.facts;
    checks.push(fact_check(
        "in Ardour's plugin list",
        facts.get("scan"),
        |f| f.contains("name=Octolane") && f.contains("category=Instrument"),
    ));
    checks.push(fact_check(
        "instantiated on a MIDI track",
        facts.get("instance"),
        |f| f.contains("active=true") && f.contains("plugin_outputs=2"),
    ));
    let inputs = facts
        .get("params")
        .and_then(|f| field(f, "inputs"))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    checks.push(check(
        "parameters listed",
        inputs > 0,
        facts.get("params").cloned().unwrap_or_default(),
    ));
    let readback = facts
        .get("set")
        .and_then(|f| field(f, "readback"))
        .and_then(|v| v.parse::<f64>().ok());
    checks.push(check(
        "parameter set and read back",
        readback.is_some_and(close_to_target),
        facts.get("set").cloned().unwrap_or_default(),
    ));
    checks.push(render_check(
        "notes played, audio exported",
        facts.get("render"),
        work,
    ));
    checks.push(check(
        "session saved and closed",
        facts.contains_key("saved") && create.succeeded(),
        format!(
            "ardour7-lua exit status {}{}",
            create.status,
            create.failure.as_deref().unwrap_or("")
        ),
    ));
    let session_file = work.join("session").join("octolane-smoke.ardour");
    checks.push(state_chunk_check(&session_file));

    let Some(reload) = reload else {
        checks.push(check(
            "reopened: parameter survived",
            false,
            "not run (the first phase failed)",
        ));
        return checks;
    };
    let value = reload
        .facts
        .get("reload")
        .and_then(|f| field(f, "value"))
        .and_then(|v| v.parse::<f64>().ok());
    checks.push(check(
        "reopened: parameter survived",
        value.is_some_and(close_to_target) && reload.succeeded(),
        format!(
            "{} (exit status {}{})",
            reload.facts.get("reload").cloned().unwrap_or_default(),
            reload.status,
            reload.failure.as_deref().unwrap_or("")
        ),
    ));
    checks.push(render_check(
        "reopened: renders again",
        reload.facts.get("render"),
        work,
    ));
    let rms_of = |facts: &BTreeMap<String, String>| {
        facts
            .get("render")
            .and_then(|f| field(f, "file"))
            .and_then(|f| read_wav(Path::new(f)).ok())
            .map(|w| w.rms)
    };
    if let (Some(a), Some(b)) = (rms_of(&create.facts), rms_of(&reload.facts)) {
        let diff = (to_db(b) - to_db(a)).abs();
        checks.push(check(
            "reopened: same sound",
            diff <= RELOAD_RMS_TOLERANCE_DB,
            format!(
                "RMS {} then {} ({diff:.2} dB apart, limit {RELOAD_RMS_TOLERANCE_DB} dB)",
                dbfs(a),
                dbfs(b)
            ),
        ));
    }
    checks
}

fn close_to_target(v: f64) -> bool {
    (v - PARAM_VALUE).abs() < 1e-4
}

fn fact_check(name: &'static str, fact: Option<&String>, ok: impl Fn(&str) -> bool) -> Check {
    match fact {
        Some(f) => check(name, ok(f), f.clone()),
        None => check(name, false, "no report from the script"),
    }
}

/// The tap's figures from the script plus an independent look at the exported WAV.
fn render_check(name: &'static str, fact: Option<&String>, work: &Path) -> Check {
    let Some(fact) = fact else {
        return check(name, false, "no render report from the script");
    };
    let notes = field(fact, "notes_sent").and_then(|v| v.parse::<u32>().ok());
    let tap_peak = field(fact, "tap_peak").and_then(|v| v.parse::<f64>().ok());
    let tap_bad = field(fact, "tap_nonfinite").and_then(|v| v.parse::<f64>().ok());
    let Some(file) = field(fact, "file") else {
        return check(name, false, fact.clone());
    };
    let path = PathBuf::from(file);
    if !path.starts_with(work) {
        return check(name, false, format!("unexpected export path {file}"));
    }
    let wav = match read_wav(&path) {
        Ok(wav) => wav,
        Err(err) => return check(name, false, format!("{err:#}")),
    };
    let ok = notes == Some(NOTE_EVENTS)
        && tap_peak.is_some_and(|p| p > SILENCE)
        && tap_bad == Some(0.0)
        && wav.nonfinite == 0
        && wav.peak > SILENCE
        && wav.peak <= 4.0;
    check(
        name,
        ok,
        format!(
            "{} note events; WAV {}: {} ch, {:.2} s, {} Hz, peak {}, RMS {}, {} non-finite; \
             tap peak {}, {} non-finite",
            notes.map_or("?".to_string(), |n| n.to_string()),
            path.file_name().unwrap_or_default().to_string_lossy(),
            wav.channels,
            wav.frames as f64 / f64::from(wav.sample_rate.max(1)),
            wav.sample_rate,
            dbfs(wav.peak),
            dbfs(wav.rms),
            wav.nonfinite,
            tap_peak.map_or("?".to_string(), dbfs),
            tap_bad.unwrap_or(f64::NAN),
        ),
    )
}

/// The plugin's own state (the VST3 chunk in the saved `.ardour` file) has the new value.
fn state_chunk_check(session_file: &Path) -> Check {
    let name = "plugin state chunk saved";
    let Ok(xml) = std::fs::read_to_string(session_file) else {
        return check(
            name,
            false,
            format!("no session file {}", session_file.display()),
        );
    };
    let Some(chunk) = xml
        .split("<chunk>")
        .nth(1)
        .and_then(|rest| rest.split("</chunk>").next())
    else {
        return check(name, false, "the session has no VST3 <chunk>");
    };
    let decoded = base64_decode(chunk);
    let text = String::from_utf8_lossy(&decoded);
    let key = format!("\"{PARAM_ID}\":{{\"f32\":");
    let value = text.split(key.as_str()).nth(1).and_then(|rest| {
        rest.split(['}', ','])
            .next()
            .and_then(|v| v.parse::<f64>().ok())
    });
    check(
        name,
        value.is_some_and(close_to_target),
        match value {
            Some(v) => format!(
                "{} bytes; {PARAM_ID} = {v} in the plugin's own state",
                decoded.len()
            ),
            None => format!("{} bytes; no {PARAM_ID} in it", decoded.len()),
        },
    )
}

/// `key=value` inside a fact line.
fn field<'a>(fact: &'a str, key: &str) -> Option<&'a str> {
    fact.split(' ')
        .find_map(|part| part.strip_prefix(key)?.strip_prefix('='))
}

/// What one `ardour7-lua` run printed.
struct Run {
    phase: &'static str,
    status: String,
    exited_ok: bool,
    output: String,
    facts: BTreeMap<String, String>,
    failure: Option<String>,
    /// Status of a first attempt that crashed, when this is the retry.
    retried: Option<String>,
}

impl Run {
    fn completed(&self, phase: &str) -> bool {
        self.facts.get("done").map(String::as_str) == Some(phase)
    }

    /// The script finished (its session already closed) and no check in it failed.
    ///
    /// A crash after that, in ardour7-lua's own teardown, does not count: Ardour 7.3 aborts
    /// there now and then ("free(): invalid next size", "corrupted size vs. prev_size"; the
    /// backtrace is in its ExportProfileManager teardown) with its own LV2 synth in place of
    /// Octolane too. It is reported as a note.
    fn succeeded(&self) -> bool {
        self.completed(self.phase) && self.failure.is_none()
    }

    fn crashed_in_teardown(&self) -> bool {
        !self.exited_ok && self.completed(self.phase)
    }
}

struct SmokeEnv<'a> {
    lua: &'a Path,
    script: &'a Path,
    home: &'a Path,
    vst3_dir: &'a Path,
    work: &'a Path,
}

impl SmokeEnv<'_> {
    /// Runs a phase, and once more if Ardour crashed before the script finished without any of
    /// its checks failing. Ardour 7.3's export code corrupts the heap now and then (backtraces
    /// end in `ExportProfileManager`/`SimpleExport` teardown; it happens with Ardour's own LV2
    /// synth too), which kills the process at a random later `free()`.
    fn run_with_retry(&self, phase: &'static str) -> Result<Run> {
        let first = self.run(phase)?;
        if first.succeeded() || first.exited_ok || first.failure.is_some() {
            return Ok(first);
        }
        println!(
            "  ardour7-lua died (status {}) before the {phase} phase finished; retrying once",
            first.status
        );
        if phase == "create" {
            for name in ["session", "octolane-first.wav"] {
                let path = self.work.join(name);
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else if path.exists() {
                    std::fs::remove_file(&path)?;
                }
            }
        }
        let mut second = self.run(phase)?;
        second.retried = Some(first.status);
        Ok(second)
    }

    fn run(&self, phase: &'static str) -> Result<Run> {
        let mut command = Command::new(self.lua);
        command
            .arg(self.script)
            .env("HOME", self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("VST3_PATH", self.vst3_dir)
            .env("OCTOLANE_SMOKE_PHASE", phase)
            .env("OCTOLANE_SMOKE_DIR", self.work)
            .env("OCTOLANE_SMOKE_PRESET", EXPORT_PRESET_ID)
            .env("OCTOLANE_SMOKE_PARAM", PARAM_LABEL)
            .env("OCTOLANE_SMOKE_VALUE", PARAM_VALUE.to_string())
            .current_dir(self.work);
        let (status, exited_ok, output) = run_with_timeout(command, ARDOUR_TIMEOUT)?;
        let mut facts = BTreeMap::new();
        let mut failure = None;
        for line in output.lines() {
            if let Some(why) = line.strip_prefix("SMOKE-FAIL ") {
                failure = Some(format!("; script: {why}"));
            } else if let Some(rest) = line.strip_prefix("SMOKE ") {
                let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
                if key != "param" {
                    println!("  {key:<9} {value}");
                }
                facts.insert(key.to_string(), value.to_string());
            }
        }
        Ok(Run {
            phase,
            status,
            exited_ok,
            output,
            facts,
            failure,
            retried: None,
        })
    }
}

/// Runs a command with stdout and stderr merged into one text, killing it after `timeout`.
fn run_with_timeout(mut command: Command, timeout: Duration) -> Result<(String, bool, String)> {
    let log = std::env::temp_dir().join(format!("octolane-ardour-{}.log", std::process::id()));
    let file = std::fs::File::create(&log)?;
    command
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file);
    let mut child = command.spawn().context("could not start ardour7-lua")?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    Ok(match status {
        Some(status) => (describe_status(status), status.success(), output),
        None => (
            format!("killed after {} s", timeout.as_secs()),
            false,
            output,
        ),
    })
}

fn describe_status(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => code.to_string(),
        (None, Some(signal)) => format!("signal {signal}"),
        _ => status.to_string(),
    }
}

/// `ardour-vst3-scanner`, the helper Ardour runs for "Scan for Plugins".
fn find_vst3_scanner() -> Result<PathBuf> {
    for dir in [
        "/usr/lib/ardour7",
        "/usr/local/lib/ardour7",
        "/opt/ardour7/lib",
    ] {
        let path = Path::new(dir).join("ardour-vst3-scanner");
        if path.is_file() {
            return Ok(path);
        }
    }
    system::find_executable("ardour-vst3-scanner")
        .context("cannot find Ardour's ardour-vst3-scanner (looked in /usr/lib/ardour7)")
}

/// Runs Ardour's VST3 scanner the way Ardour does, filling the private plugin cache.
fn run_scanner(scanner: &Path, home: &Path, bundle: &Path) -> Result<String> {
    let lib_dir = scanner.parent().unwrap_or(Path::new("/usr/lib/ardour7"));
    let mut command = Command::new(scanner);
    command
        .args(["-f", "-v"])
        .arg(bundle)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("LD_LIBRARY_PATH", lib_dir);
    let (status, ok, output) = run_with_timeout(command, Duration::from_secs(120))?;
    if !ok {
        bail!("ardour-vst3-scanner failed (status {status}):\n{output}");
    }
    Ok(output)
}

/// The private Ardour config: the two helper DSP scripts and the float-WAV export preset.
fn prepare_ardour_config(home: &Path) -> Result<()> {
    let config = home.join(".config").join("ardour7");
    let scripts = config.join("scripts");
    let export = config.join("export");
    std::fs::create_dir_all(&scripts)?;
    std::fs::create_dir_all(&export)?;
    let dsp = system::workspace_root()
        .join("tests")
        .join("ardour")
        .join("dsp");
    for name in ["octolane_smoke_notes.lua", "octolane_smoke_tap.lua"] {
        std::fs::copy(dsp.join(name), scripts.join(name))
            .with_context(|| format!("copying {}", dsp.join(name).display()))?;
    }
    let preset = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ExportPreset id="{EXPORT_PRESET_ID}" name="Octolane smoke float WAV">
  <ExportFormat id="{EXPORT_FORMAT_ID}"/>
  <ExportFilename>
    <Folder relative="1" path="export"/>
    <Field name="label" enabled="0"/>
    <Field name="session" enabled="0"/>
    <Field name="snapshot" enabled="0"/>
    <Field name="timespan" enabled="1"/>
    <Field name="revision" enabled="0"/>
    <Field name="time" enabled="0" value="T_None"/>
    <Field name="date" enabled="0" value="D_None"/>
  </ExportFilename>
</ExportPreset>
"#
    );
    std::fs::write(export.join("octolane-smoke.preset"), preset)?;
    Ok(())
}

/// Sets every file's mtime ten seconds back. Ardour's scanner stamps its cache entry with whole
/// seconds, so a module modified in the same second would look newer than its cache entry and
/// Ardour would silently skip the plugin.
fn backdate_files(path: &Path) -> Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            backdate_files(&entry?.path())?;
        }
        return Ok(());
    }
    let when = SystemTime::now() - Duration::from_secs(10);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .with_context(|| format!("could not set the mtime of {}", path.display()))
}

fn home_dir() -> Result<PathBuf> {
    match std::env::var_os("HOME").map(PathBuf::from) {
        Some(home) if home.is_absolute() => Ok(home),
        _ => bail!("$HOME is not set to an absolute path"),
    }
}

/// Figures of a WAV file.
struct WavStats {
    channels: u16,
    sample_rate: u32,
    frames: usize,
    peak: f64,
    rms: f64,
    nonfinite: usize,
}

/// Reads a RIFF WAV (PCM 16/24/32-bit or 32-bit float, plain or extensible).
fn read_wav(path: &Path) -> Result<WavStats> {
    let bytes = std::fs::read(path).with_context(|| format!("no export {}", path.display()))?;
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        bail!("{} is not a WAV file", path.display());
    }
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let mut format = None;
    let mut data = None;
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let len = u32_at(at + 4) as usize;
        let body = at + 8;
        let end = (body + len).min(bytes.len());
        if id == b"fmt " && len >= 16 {
            let mut tag = u16_at(body);
            if tag == 0xFFFE && len >= 26 {
                tag = u16_at(body + 24);
            }
            format = Some((tag, u16_at(body + 2), u32_at(body + 4), u16_at(body + 14)));
        } else if id == b"data" {
            data = Some(&bytes[body..end]);
        }
        at = body + len + (len & 1);
    }
    let (tag, channels, sample_rate, bits) =
        format.with_context(|| format!("{} has no fmt chunk", path.display()))?;
    let data = data.with_context(|| format!("{} has no data chunk", path.display()))?;
    let width = usize::from(bits / 8);
    if width == 0 || channels == 0 {
        bail!("{}: unsupported format", path.display());
    }
    let sample = |s: &[u8]| -> Option<f64> {
        Some(match (tag, bits) {
            (3, 32) => f64::from(f32::from_le_bytes([s[0], s[1], s[2], s[3]])),
            (1, 16) => f64::from(i16::from_le_bytes([s[0], s[1]])) / 32768.0,
            (1, 24) => f64::from(i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8) / 8_388_608.0,
            (1, 32) => f64::from(i32::from_le_bytes([s[0], s[1], s[2], s[3]])) / 2_147_483_648.0,
            _ => return None,
        })
    };
    let (mut peak, mut sum, mut count, mut nonfinite) = (0.0f64, 0.0f64, 0usize, 0usize);
    for s in data.chunks_exact(width) {
        let v = sample(s)
            .with_context(|| format!("{}: unsupported WAV format {tag}/{bits}", path.display()))?;
        if v.is_finite() {
            peak = peak.max(v.abs());
            sum += v * v;
        } else {
            nonfinite += 1;
        }
        count += 1;
    }
    Ok(WavStats {
        channels,
        sample_rate,
        frames: count / usize::from(channels),
        peak,
        rms: if count > 0 {
            (sum / count as f64).sqrt()
        } else {
            0.0
        },
        nonfinite,
    })
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn to_db(x: f64) -> f64 {
    20.0 * x.max(1e-12).log10()
}

fn dbfs(x: f64) -> String {
    if x > 0.0 {
        format!("{:.1} dBFS ({x:.4})", to_db(x))
    } else {
        "-inf dBFS (0)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        assert_eq!(base64_decode("VlNUMw=="), b"VST3");
        assert_eq!(base64_decode("eyJhIjox\nfQ=="), b"{\"a\":1}");
    }

    #[test]
    fn reads_fields_of_a_fact_line() {
        let fact = "first file=/x/y.wav notes_sent=8 tap_peak=0.25";
        assert_eq!(field(fact, "notes_sent"), Some("8"));
        assert_eq!(field(fact, "file"), Some("/x/y.wav"));
        assert_eq!(field(fact, "tap"), None);
    }

    #[test]
    fn reads_a_float_wav() {
        let samples = [0.5f32, -0.25, 0.0, 0.0];
        let mut bytes = Vec::new();
        let data_len = samples.len() as u32 * 4;
        bytes.extend_from_slice(b"RIFF");
        bytes.extend_from_slice(&(4 + 24 + 8 + data_len).to_le_bytes());
        bytes.extend_from_slice(b"WAVEfmt ");
        bytes.extend_from_slice(&16u32.to_le_bytes());
        for v in [3u16, 2] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        bytes.extend_from_slice(&48_000u32.to_le_bytes());
        bytes.extend_from_slice(&(48_000u32 * 8).to_le_bytes());
        for v in [8u16, 32] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        bytes.extend_from_slice(b"data");
        bytes.extend_from_slice(&data_len.to_le_bytes());
        for s in samples {
            bytes.extend_from_slice(&s.to_le_bytes());
        }
        let path = std::env::temp_dir().join(format!("octolane-wav-{}.wav", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let wav = read_wav(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!((wav.channels, wav.sample_rate, wav.frames), (2, 48_000, 2));
        assert_eq!(wav.peak, 0.5);
        assert!((wav.rms - (0.3125f64 / 4.0).sqrt()).abs() < 1e-9);
    }
}
