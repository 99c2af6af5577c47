//! `socialgov check`: a readable report for one text, or JSON lines for many.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use annotate_snippets::{Level, Renderer, Snippet};
use anyhow::Context;
use clap::Args;
use serde::Serialize;
use socialgov_engine::{Finding, Scanner, Severity};

use crate::Exit;
use crate::packs::PackArg;

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pack: PackArg,
    /// The text to check (with --jsonl: the JSONL file). `-` or absent reads standard input.
    input: Option<String>,
    /// Read the text to check from this file.
    #[arg(long, short, conflicts_with = "input")]
    file: Option<PathBuf>,
    /// Read `{"id", "text"}` objects, one per line, and write one result line for each.
    #[arg(long)]
    jsonl: bool,
    /// Threads to check JSON lines with (default: all cores).
    #[arg(long, requires = "jsonl")]
    threads: Option<usize>,
    /// With --jsonl, write `{"id", "error"}` for a malformed line and go on, instead of
    /// stopping with exit status 2.
    #[arg(long, requires = "jsonl")]
    keep_going: bool,
    /// Also list the cue groups and features the text shows (for tuning packs).
    #[arg(long, conflicts_with = "jsonl")]
    explain: bool,
}

/// Reads the text argument, a file, or standard input.
pub fn read_input(text: Option<String>, file: Option<PathBuf>) -> anyhow::Result<String> {
    if let Some(path) = file {
        return std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()));
    }
    match text.as_deref() {
        Some("-") | None => {
            let mut buf = String::new();
            std::io::stdin()
                .read_to_string(&mut buf)
                .context("standard input is not valid UTF-8")?;
            Ok(buf)
        }
        Some(_) => Ok(text.unwrap_or_default()),
    }
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let scanner = args.pack.load()?;
    if args.jsonl {
        let path = args
            .file
            .or_else(|| args.input.filter(|i| i != "-").map(PathBuf::from));
        return jsonl(&scanner, path, args.threads, args.keep_going);
    }
    let text = read_input(args.input, args.file)?;
    let findings = scanner.check(&text);
    let mut out = std::io::stdout().lock();
    report(&mut out, &scanner, &text, &findings)?;
    if args.explain {
        writeln!(out, "\ncues and features present:")?;
        for (name, start, end) in scanner.explain(&text) {
            writeln!(out, "  {name:<28} {:?}", text.get(start..end).unwrap_or(""))?;
        }
    }
    Ok(exit_status(&findings))
}

fn exit_status(findings: &[Finding]) -> u8 {
    u8::from(findings.iter().any(|f| f.severity == Severity::Block))
}

/// How many bytes of a long line either side of a finding its diagnostic is given.
const CONTEXT: usize = 400;

/// Writes each finding as a compiler-style diagnostic, underlined in the text.
fn report(
    out: &mut dyn Write,
    scanner: &Scanner,
    text: &str,
    findings: &[Finding],
) -> anyhow::Result<()> {
    let info = scanner.info();
    if findings.is_empty() {
        writeln!(
            out,
            "No findings: this text meets the {} policy pack.",
            info.id
        )?;
        return Ok(());
    }
    let renderer = if std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Each finding is shown with only the lines it spans, and of a long line only the part
    // around it (more than a diagnostic shows, which trims the rest with "..."): the whole text
    // as every snippet's source made a long text's report quadratic.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let boundary = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    for f in findings {
        let first = line_starts
            .partition_point(|&s| s <= f.start)
            .saturating_sub(1);
        let line_from = line_starts.get(first).copied().unwrap_or(0);
        let line_to = text
            .get(f.end..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| f.end + i);
        let from = boundary(f.start.saturating_sub(CONTEXT).max(line_from));
        let to = boundary((f.end + CONTEXT).min(line_to));
        let lines = text.get(from..to).unwrap_or(text);
        let span = f.start - from..f.end - from;
        let level = match f.severity {
            Severity::Block => Level::Error,
            Severity::Warn => Level::Warning,
            Severity::Info => Level::Info,
        };
        let clause_text = info
            .clauses
            .iter()
            .find(|(c, _, _)| *c == f.category)
            .map(|(_, _, t)| t.as_str())
            .unwrap_or("");
        let id = format!("{}/{}", f.category, f.rule);
        let clause = format!("{}: {}", f.rule.clause, clause_text);
        let label = f.kind.as_str();
        let message = level
            .title(&f.rule.message)
            .id(&id)
            .snippet(
                Snippet::source(lines)
                    .line_start(first + 1)
                    .fold(true)
                    .annotation(level.span(span).label(label)),
            )
            .footer(Level::Note.title(&clause));
        writeln!(out, "{}\n", renderer.render(message))?;
    }
    let blocks = findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .count();
    writeln!(
        out,
        "{} finding{} ({} blocking) against the {} policy pack.",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        blocks,
        info.id
    )?;
    Ok(())
}

/// One finding in the JSON lines output. Offsets are bytes into the UTF-8 text.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    category: &'static str,
    rule: &'a str,
    severity: &'static str,
    kind: &'static str,
    start: usize,
    end: usize,
    message: &'a str,
    clause: &'a str,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            category: f.category.as_str(),
            rule: &f.rule.id,
            severity: f.severity.as_str(),
            kind: f.kind.as_str(),
            start: f.start,
            end: f.end,
            message: &f.rule.message,
            clause: &f.rule.clause,
        }
    }
}

/// Parses one input line into its id and text.
pub fn parse_line(
    bytes: &[u8],
) -> Result<(serde_json::Value, String), (serde_json::Value, String)> {
    let line = std::str::from_utf8(bytes).map_err(|e| {
        (
            serde_json::Value::Null,
            format!("not valid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| (serde_json::Value::Null, format!("not JSON: {e}")))?;
    let serde_json::Value::Object(mut object) = value else {
        return Err((serde_json::Value::Null, "not a JSON object".to_owned()));
    };
    let id = object.remove("id").unwrap_or(serde_json::Value::Null);
    match object.remove("text") {
        Some(serde_json::Value::String(text)) => Ok((id, text)),
        Some(_) => Err((id, "`text` is not a string".to_owned())),
        None => Err((id, "no `text` field".to_owned())),
    }
}

const BATCH: usize = 8192;

fn jsonl(
    scanner: &Scanner,
    path: Option<PathBuf>,
    threads: Option<usize>,
    keep_going: bool,
) -> anyhow::Result<u8> {
    let mut input: Box<dyn BufRead> = match &path {
        Some(p) => Box::new(std::io::BufReader::new(
            std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?,
        )),
        None => Box::new(std::io::stdin().lock()),
    };
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut status = 0u8;
    let mut line_no = 0usize;
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        while batch.len() < BATCH {
            let mut buf = Vec::new();
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            line_no += 1;
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            batch.push((line_no, buf));
        }
        if batch.is_empty() {
            break;
        }
        let results = check_batch(scanner, &batch, threads);
        for ((line, _), result) in batch.iter().zip(results) {
            match result {
                Ok(line_out) => {
                    status = status.max(line_out.1);
                    out.write_all(line_out.0.as_bytes())?;
                    out.write_all(b"\n")?;
                }
                Err((id, message)) => {
                    if keep_going {
                        let error = serde_json::json!({ "id": id, "error": format!("line {line}: {message}") });
                        writeln!(out, "{error}")?;
                        status = status.max(2);
                    } else {
                        out.flush()?;
                        eprintln!("socialgov: line {line}: {message}");
                        return Err(Exit(2).into());
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(status)
}

type LineResult = Result<(String, u8), (serde_json::Value, String)>;

fn check_batch(scanner: &Scanner, batch: &[(usize, Vec<u8>)], threads: usize) -> Vec<LineResult> {
    let one = |bytes: &Vec<u8>| -> LineResult {
        let (id, text) = parse_line(bytes)?;
        let findings = scanner.check(&text);
        let json: Vec<JsonFinding<'_>> = findings.iter().map(JsonFinding::from).collect();
        let line = serde_json::json!({ "id": id, "findings": json }).to_string();
        Ok((line, exit_status(&findings)))
    };
    if threads <= 1 || batch.len() < 64 {
        return batch.iter().map(|(_, b)| one(b)).collect();
    }
    let chunk = batch.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|(_, b)| one(b)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .zip(batch.chunks(chunk))
            .flat_map(|(h, part)| {
                h.join().unwrap_or_else(|_| {
                    part.iter()
                        .map(|_| {
                            Err((
                                serde_json::Value::Null,
                                "internal error while checking this line".to_owned(),
                            ))
                        })
                        .collect()
                })
            })
            .collect()
    })
}
