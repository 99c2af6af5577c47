//! Criterion benchmarks of `Scanner::check`: typical posts, a long post, and a 1 MB text
//! (time must stay linear in input length); and of compiling a pack, which every `socialgov
//! check` pays before its first post.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use socialgov_engine::{Builtin, Scanner};

const POSTS: &[&str] = &[
    "Absolutely shattered after a 13 hour shift on AMU, and the coffee machine on level 2 is broken yet again. See you all on Monday x",
    "We're delighted to welcome our new cohort of international nurses to Torbay Hospital! Find out more on our website. #NHS #TeamTorbay",
    "Waited 6 hours in A&E at Maidstone with my little girl last night, so please be patient with our staff, they are doing their very best",
    "Bed 4 Mr Alan Tregear 61yo chest pain, bloods sent and awaiting a CT. son says his mum's NHS no is 4010232145, can someone check",
    "Replying to @gazza_kent: mate we're doing our best with half the staff, so get f*cked with your 'disgraceful service'",
    "Reminder: our flu vaccination clinics run every Tuesday in the staff restaurant, book a place through the learning hub before Friday",
];

fn bench(c: &mut Criterion) {
    let scanner = Scanner::load("nhs-baseline", &Builtin).expect("baseline loads");
    let mut group = c.benchmark_group("check");
    let bytes: usize = POSTS.iter().map(|p| p.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("typical_posts", |b| {
        b.iter(|| POSTS.iter().map(|p| scanner.check(p).len()).sum::<usize>())
    });
    for size in [2_000usize, 100_000, 1_000_000] {
        let mut text = String::new();
        let mut i = 0;
        while text.len() < size {
            text.push_str(POSTS[i % POSTS.len()]);
            text.push(' ');
            i += 1;
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(if size >= 1_000_000 { 10 } else { 50 });
        group.bench_with_input(BenchmarkId::new("long_text", size), &text, |b, t| {
            b.iter(|| scanner.check(t).len())
        });
    }
    group.finish();
}

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    group.bench_function("nhs-baseline", |b| {
        b.iter(|| Scanner::load("nhs-baseline", &Builtin).expect("baseline loads"))
    });
    group.finish();
}

criterion_group!(benches, bench, compile);
criterion_main!(benches);
