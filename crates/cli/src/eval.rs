//! `socialgov eval`: how well a pack does on a labelled JSONL set (the format of
//! `shared/devset.jsonl` and LABELS.md). Trusts use it to tune their packs; we use it to keep
//! the engine honest.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde::{Deserialize, Serialize};
use socialgov_engine::{Category, Finding, Kind, Scanner};

use crate::packs::PackArg;

#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pack: PackArg,
    /// Labelled JSONL: `{"id", "text", "labels": [...], "spans": [{"category", "start", "end", "kind"}]}`.
    #[arg(long, required = true)]
    labels: Vec<PathBuf>,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
    /// Also print each item the pack got wrong, with what it missed and what it added.
    #[arg(long)]
    errors: bool,
}

#[derive(Deserialize)]
struct Item {
    id: serde_json::Value,
    text: String,
    labels: Vec<Category>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    category: Category,
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Serialize, Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[derive(Serialize)]
struct CategoryScore {
    category: &'static str,
    support: usize,
    predicted: usize,
    precision: f64,
    recall: f64,
    f1: f64,
}

#[derive(Serialize)]
struct Report {
    pack: String,
    items: usize,
    categories: Vec<CategoryScore>,
    macro_f1: f64,
    identifier_spans: usize,
    identifier_span_recall_exact: f64,
    identifier_span_recall_overlap: f64,
    word_spans: usize,
    word_span_recall_exact: f64,
}

pub fn run(args: EvalArgs) -> anyhow::Result<u8> {
    let scanner = args.pack.load()?;
    let mut items = Vec::new();
    for path in &args.labels {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let item: Item = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not a labelled item", path.display(), n + 1))?;
            items.push(item);
        }
    }
    let report = evaluate(&scanner, &items, args.errors)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report)?;
    }
    Ok(0)
}

fn evaluate(scanner: &Scanner, items: &[Item], show_errors: bool) -> anyhow::Result<Report> {
    let mut counts = [Counts::default(); 12];
    let (mut id_spans, mut id_exact, mut id_overlap) = (0usize, 0usize, 0usize);
    let (mut word_spans, mut word_exact) = (0usize, 0usize);
    for item in items {
        let findings = scanner.check(&item.text);
        let predicted: BTreeSet<Category> = findings.iter().map(|f| f.category).collect();
        let gold: BTreeSet<Category> = item.labels.iter().copied().collect();
        for (i, c) in Category::ALL.iter().enumerate() {
            if let Some(n) = counts.get_mut(i) {
                match (gold.contains(c), predicted.contains(c)) {
                    (true, true) => n.tp += 1,
                    (false, true) => n.fp += 1,
                    (true, false) => n.fn_ += 1,
                    (false, false) => {}
                }
            }
        }
        let mut missed_spans = Vec::new();
        for span in &item.spans {
            let exact = findings.iter().any(|f| same_span(f, span));
            if span.kind.is_identifier() {
                id_spans += 1;
                id_exact += usize::from(exact);
                id_overlap += usize::from(findings.iter().any(|f| {
                    f.category == span.category && f.start < span.end && span.start < f.end
                }));
            } else {
                word_spans += 1;
                word_exact += usize::from(exact);
            }
            if !exact {
                missed_spans.push(format!(
                    "{}:{:?}",
                    span.kind,
                    item.text.get(span.start..span.end).unwrap_or("")
                ));
            }
        }
        if show_errors && (gold != predicted || !missed_spans.is_empty()) {
            let missed: Vec<&str> = gold.difference(&predicted).map(|c| c.as_str()).collect();
            let added: Vec<String> = findings
                .iter()
                .filter(|f| !gold.contains(&f.category))
                .map(|f| format!("{}({}:{:?})", f.category, f.rule, f.excerpt(&item.text)))
                .collect();
            outln!(
                "{} missed={missed:?} added={added:?} spans_missed={missed_spans:?}\n    {}",
                item.id,
                item.text.replace('\n', " ")
            );
        }
    }
    let categories: Vec<CategoryScore> = Category::ALL
        .iter()
        .zip(counts)
        .map(|(c, n)| CategoryScore {
            category: c.as_str(),
            support: n.tp + n.fn_,
            predicted: n.tp + n.fp,
            precision: n.precision(),
            recall: n.recall(),
            f1: n.f1(),
        })
        .collect();
    let macro_f1 = categories.iter().map(|c| c.f1).sum::<f64>() / categories.len() as f64;
    Ok(Report {
        pack: scanner.info().id.clone(),
        items: items.len(),
        categories,
        macro_f1,
        identifier_spans: id_spans,
        identifier_span_recall_exact: ratio(id_exact, id_spans),
        identifier_span_recall_overlap: ratio(id_overlap, id_spans),
        word_spans,
        word_span_recall_exact: ratio(word_exact, word_spans),
    })
}

fn same_span(f: &Finding, span: &Span) -> bool {
    f.category == span.category && f.kind == span.kind && f.start == span.start && f.end == span.end
}

fn print_report(r: &Report) -> anyhow::Result<()> {
    outln!("pack {} on {} items\n", r.pack, r.items);
    outln!(
        "{:<26} {:>7} {:>9} {:>9} {:>7} {:>6}",
        "category",
        "support",
        "predicted",
        "precision",
        "recall",
        "f1"
    );
    for c in &r.categories {
        outln!(
            "{:<26} {:>7} {:>9} {:>9.3} {:>7.3} {:>6.3}",
            c.category,
            c.support,
            c.predicted,
            c.precision,
            c.recall,
            c.f1
        );
    }
    outln!("\nmacro-F1 over the 12 categories: {:.3}", r.macro_f1);
    outln!(
        "identifier span recall: {:.3} exact, {:.3} overlapping ({} spans)",
        r.identifier_span_recall_exact,
        r.identifier_span_recall_overlap,
        r.identifier_spans
    );
    outln!(
        "offensive word and slur span recall: {:.3} exact ({} spans)",
        r.word_span_recall_exact,
        r.word_spans
    );
    Ok(())
}
