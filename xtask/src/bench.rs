//! `cargo xtask bench`: runs the engine and motion-lane benchmarks and tabulates their
//! `OCTOLANE:` lines.
//!
//! Criterion's own output passes straight through. The bench also prints summary lines that
//! start with `OCTOLANE:`; they are collected and printed again at the end as a table. Columns
//! are split on `|`, else on tabs, else on runs of two or more spaces, so a bench printing
//! `OCTOLANE: simd vs scalar | 7.9x | 64 voices` gets a three-column row.

use crate::system;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

/// The prefix of the lines the bench prints for the summary.
const PREFIX: &str = "OCTOLANE:";

/// The benches `cargo xtask bench` runs, in order: engine throughput, then motion-lane cost.
const BENCHES: [&str; 2] = ["engine", "lanes"];

/// Runs `cargo bench -p octolane-dsp --bench <name> [-- args]` for each of [`BENCHES`] and
/// prints one summary table of their `OCTOLANE:` lines.
pub fn bench(extra_args: &[String]) -> Result<()> {
    system::ensure_packages(&[("cc", "build-essential")])?;
    let mut summary = Vec::new();
    let mut failed = None;
    for name in BENCHES {
        let status = run_bench(name, extra_args, &mut summary)?;
        if !status.success() && failed.is_none() {
            failed = Some(format!("cargo bench --bench {name} failed ({status})"));
        }
    }

    println!();
    if summary.is_empty() {
        println!("The bench printed no {PREFIX} summary lines.");
    } else {
        println!("Octolane benchmark summary:");
        print!("{}", table(&summary));
    }
    if let Some(failure) = failed {
        bail!(failure);
    }
    Ok(())
}

/// Runs one bench, passing its output through and collecting its summary lines.
fn run_bench(
    name: &str,
    extra_args: &[String],
    summary: &mut Vec<String>,
) -> Result<std::process::ExitStatus> {
    let mut command = system::cargo();
    command.args(["bench", "-p", "octolane-dsp", "--bench", name]);
    if !extra_args.is_empty() {
        command.arg("--").args(extra_args);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .context("could not start cargo bench")?;
    let stdout = child.stdout.take().context("cargo bench has no stdout")?;
    let mut out = std::io::stdout();
    for line in BufReader::new(stdout).lines() {
        let line = line.context("could not read cargo bench's output")?;
        // Pass-through is best effort: a closed terminal must not lose the run.
        let _ = writeln!(out, "{line}");
        if let Some(rest) = line.trim_start().strip_prefix(PREFIX) {
            summary.push(rest.trim().to_string());
        }
    }
    child.wait().context("could not wait for cargo bench")
}

/// Splits one summary line into columns. A `|`-separated line may be a Markdown table row:
/// one leading and one trailing `|` are dropped and empty cells kept.
fn columns(line: &str) -> Vec<String> {
    let line = line.trim();
    if line.contains('|') {
        let inner = line.strip_prefix('|').unwrap_or(line);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        return inner.split('|').map(|c| c.trim().to_string()).collect();
    }
    let parts: Vec<&str> = if line.contains('\t') {
        line.split('\t').collect()
    } else {
        line.split("  ").collect()
    };
    parts
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether a row is a Markdown header rule like `|---|--:|`.
fn is_rule(row: &[String]) -> bool {
    !row.is_empty()
        && row
            .iter()
            .all(|c| c.contains('-') && c.chars().all(|ch| ch == '-' || ch == ':'))
}

/// Lines as an aligned table with a two-space gutter. A Markdown rule row becomes a dashed
/// line, and its `--:` cells right-align their columns.
fn table(lines: &[String]) -> String {
    let rows: Vec<Vec<String>> = lines.iter().map(|l| columns(l)).collect();
    let column_count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let right: Vec<bool> = (0..column_count)
        .map(|c| {
            rows.iter()
                .filter(|r| is_rule(r))
                .any(|r| r.get(c).is_some_and(|cell| cell.ends_with(':')))
        })
        .collect();
    let widths: Vec<usize> = (0..column_count)
        .map(|c| {
            rows.iter()
                .filter(|r| !is_rule(r))
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in &rows {
        let cells: Vec<String> = if is_rule(row) {
            widths.iter().map(|&w| "-".repeat(w.max(1))).collect()
        } else {
            row.iter()
                .enumerate()
                .map(|(c, cell)| match right[c] {
                    true => format!("{cell:>width$}", width = widths[c]),
                    false => format!("{cell:<width$}", width = widths[c]),
                })
                .collect()
        };
        text.push_str("  ");
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_split_on_bars_or_wide_spaces() {
        let lines = vec![
            "simd vs scalar | 7.9x".to_string(),
            "lane 4 vs 4096 points   1.02x".to_string(),
            "plain line".to_string(),
        ];
        let text = table(&lines);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], "  simd vs scalar         7.9x");
        assert_eq!(rows[1], "  lane 4 vs 4096 points  1.02x");
        assert_eq!(rows[2], "  plain line");
    }

    #[test]
    fn renders_markdown_tables_with_rules_and_right_alignment() {
        let lines = vec![
            "| voices | speedup |".to_string(),
            "|---|---:|".to_string(),
            "| 8 | 3.10× |".to_string(),
            "| 1024 | 7.9× |".to_string(),
        ];
        let text = table(&lines);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], "  voices  speedup");
        assert_eq!(rows[1], "  ------  -------");
        assert_eq!(rows[2], "  8         3.10×");
        assert_eq!(rows[3], "  1024       7.9×");
    }
}
