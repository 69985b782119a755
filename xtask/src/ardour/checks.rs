//! What `cargo xtask ardour` checks in Ardour's output, the saved session and the exported
//! WAV files, and the small decoders it needs for them.

use super::*;

pub(super) struct Check {
    pub(super) name: &'static str,
    pub(super) ok: bool,
    pub(super) detail: String,
}

fn check(name: &'static str, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        name,
        ok,
        detail: detail.into(),
    }
}

/// Turns the scanner output, both Ardour runs and the files they wrote into checks.
pub(super) fn evaluate(scan: &str, create: &Run, reload: Option<&Run>, work: &Path) -> Vec<Check> {
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
