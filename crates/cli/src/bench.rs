//! `socialgov bench`: checking speed over a generated corpus of realistic posts.
//!
//! The corpus is built from sentence parts that NHS staff and the public write (clean chatter,
//! corporate posts, complaints, and a share of posts with identifiers, swearing and the other
//! categories), seeded so every run measures the same text. Median length is about 180
//! bytes; a few posts run to 2 KB.

use std::time::{Duration, Instant};

use clap::Args;

use crate::packs::PackArg;

#[derive(Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pack: PackArg,
    /// How many posts to generate.
    #[arg(long, default_value_t = 200_000)]
    posts: usize,
    /// Thread counts to measure, e.g. `--threads 1,2`.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize])]
    threads: Vec<usize>,
    /// Seconds to run each measurement for (at least one pass over the corpus).
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Write the corpus as JSONL to this file instead of measuring.
    #[arg(long)]
    write_corpus: Option<std::path::PathBuf>,
}

pub fn run(args: BenchArgs) -> anyhow::Result<u8> {
    let corpus = corpus(args.posts, 0x5eed);
    if let Some(path) = args.write_corpus {
        let mut out = String::new();
        for (i, text) in corpus.iter().enumerate() {
            out.push_str(&serde_json::json!({ "id": i, "text": text }).to_string());
            out.push('\n');
        }
        std::fs::write(&path, out)?;
        return Ok(0);
    }
    let scanner = args.pack.load()?;
    let bytes: usize = corpus.iter().map(String::len).sum();
    let mut lengths: Vec<usize> = corpus.iter().map(String::len).collect();
    lengths.sort_unstable();
    let median = lengths.get(lengths.len() / 2).copied().unwrap_or(0);
    let max = lengths.last().copied().unwrap_or(0);
    outln!(
        "corpus: {} posts, {:.1} MB, median {} bytes, max {} bytes; pack {}",
        corpus.len(),
        bytes as f64 / 1e6,
        median,
        max,
        scanner.info().id
    );
    // Warm up.
    let flagged = corpus
        .iter()
        .take(10_000)
        .filter(|t| !scanner.check(t).is_empty())
        .count();
    outln!("posts with findings in the first 10,000: {flagged}");
    for &threads in &args.threads {
        let threads = threads.max(1);
        let budget = Duration::from_secs_f64(args.seconds);
        let start = Instant::now();
        let mut passes = 0usize;
        while passes == 0 || start.elapsed() < budget {
            let chunk = corpus.len().div_ceil(threads);
            std::thread::scope(|s| {
                for part in corpus.chunks(chunk) {
                    let scanner = &scanner;
                    s.spawn(move || {
                        let mut n = 0usize;
                        for text in part {
                            n += scanner.check(text).len();
                        }
                        std::hint::black_box(n)
                    });
                }
            });
            passes += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        let total_bytes = (bytes * passes) as f64;
        let total_posts = (corpus.len() * passes) as f64;
        outln!(
            "threads {threads}: {:.1} MB/s, {:.0} posts/s ({passes} passes in {secs:.2} s)",
            total_bytes / secs / 1e6,
            total_posts / secs
        );
    }
    Ok(0)
}

/// A small deterministic generator (xorshift64*), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        let i = (self.next() % from.len().max(1) as u64) as usize;
        from.get(i).copied().unwrap_or("")
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const OPENERS: &[&str] = &[
    "Absolutely shattered after a 13 hour shift on AMU",
    "We're delighted to welcome our new cohort of international nurses to Torbay Hospital",
    "Huge thank you to the team on Ward 12 who looked after my dad last month",
    "Waited 6 hours in A&E at Maidstone with my little girl last night",
    "Reminder: our flu vaccination clinics run every Tuesday in the staff restaurant",
    "Night shift done, 3 admissions, 2 discharges and one very confused printer",
    "Anyone else think the new rota system is a nightmare to use?",
    "Proud to be part of the maternity team at the Cumberland Infirmary",
    "Our Emergency Department is very busy today, please use NHS 111 online unless it is an emergency",
    "Great to see so many colleagues at the wellbeing hub this morning",
    "Car park at Heartlands is full again, third time this week",
    "Congratulations to Dr Okafor on passing her membership exams",
    "Replying to @sam_k83: thank you for your kind words, I'll pass them on to the team",
    "The new discharge lounge opens on Monday 4th November on the ground floor",
    "Lovely patient today made my whole week",
];

const MIDDLES: &[&str] = &[
    "and the coffee machine on level 2 is broken yet again",
    "so please be patient with our staff, they are doing their very best",
    "if you are interested, book a place through the learning hub before Friday",
    "honestly the handover this morning took forever because of the IT outage",
    "the porters were absolute stars moving everyone across to the new unit",
    "we had a visit from the Health Secretary who met staff in the education centre",
    "bed 4 Mr Alan Tregear 61yo chest pain, bloods sent and awaiting a CT",
    "who the f**k moved the resus trolley again",
    "call our switchboard on 01803 614567 or visit the website for details",
    "keypad code for the staff room is 4729# don't tell anyone",
    "son says his mum's NHS no is 4010232145, can someone check her scan date",
    "Replying to @gazza_kent: we were short of three nurses that night, not our fault",
    "reporter at the Kent Messenger here, are you a nurse at Maidstone? DM me",
    "our resus bay at 3am [photo]",
    "order ref 943 476 5918 for the linen delivery to outpatients",
];

const CLOSERS: &[&str] = &[
    "#NHS #TeamTorbay",
    "Views my own.",
    "Find out more on our website.",
    "🙈",
    "❤️💙",
    "Thank you all!",
    "Please share.",
    "Never again.",
    "",
    "See you all on Monday x",
];

/// Generates `n` posts from `seed`.
pub fn corpus(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed | 1);
    (0..n)
        .map(|_| {
            let mut post = String::new();
            // Most posts are one or two sentences; about 1 in 50 is a long thread of many.
            let sentences = if rng.chance(2) {
                8 + rng.next() % 10
            } else {
                1 + rng.next() % 2
            };
            for s in 0..sentences {
                if s > 0 {
                    post.push_str(". ");
                }
                post.push_str(rng.pick(OPENERS));
                if rng.chance(75) {
                    post.push_str(", ");
                    post.push_str(rng.pick(MIDDLES));
                }
            }
            if rng.chance(70) {
                post.push(' ');
                post.push_str(rng.pick(CLOSERS));
            }
            post
        })
        .collect()
}
