//! The `socialgov` command line, run as a user runs it: exit statuses, outputs, bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;

fn socialgov() -> Command {
    Command::cargo_bin("socialgov").unwrap()
}

fn stdout(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_clean_text_exits_0() {
    let (code, out, _) = stdout(socialgov().args(["check", "Lovely team on ward 5 today"]));
    assert_eq!(code, 0);
    assert!(out.contains("No findings"), "{out}");
}

#[test]
fn check_blocking_text_exits_1_and_underlines() {
    let (code, out, _) =
        stdout(socialgov().args(["check", "son says his mum's NHS no is 4010232145, ffs"]));
    assert_eq!(code, 1);
    assert!(out.contains("^^^^^^^^^^ nhs_number"), "{out}");
    assert!(out.contains("cumbria §3.3"), "{out}");
    assert!(out.contains("offensive_word"), "{out}");
}

/// A finding deep in a long line, and one on a later line, are shown on their own lines with
/// the line number, the underline under the finding itself.
#[test]
fn check_shows_findings_in_long_texts_where_they_are() {
    let filler = "Lovely team on ward 5 today é ".repeat(200);
    let text =
        format!("{filler}son says his mum's NHS no is 4010232145 {filler}\nsecond line, ffs");
    let (code, out, _) = stdout(socialgov().args(["check", &text]));
    assert_eq!(code, 1, "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("1 | ") && l.contains("4010232145"))
        .unwrap_or_else(|| panic!("no excerpt of line 1 with the number: {out}"));
    let carets = out
        .lines()
        .find(|l| l.ends_with("^^^^^^^^^^ nhs_number"))
        .unwrap_or_else(|| panic!("no underline: {out}"));
    // The underline starts under the number (character columns: the excerpt has é in it).
    let column = |s: &str, at: usize| s.get(..at).unwrap().chars().count();
    assert_eq!(
        column(carets, carets.find('^').unwrap()),
        column(line, line.find("4010232145").unwrap()),
        "{out}"
    );
    assert!(out.contains("2 | second line, ffs"), "{out}");
}

#[test]
fn check_warn_only_exits_0() {
    let (code, out, _) = stdout(socialgov().args([
        "check",
        "--pack",
        "tsdft",
        "Producer for ITV West Country, looking for Torbay staff to talk about ambulance waits",
    ]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("media_enquiry"), "{out}");
    assert!(out.contains("tsdft §"), "{out}");
}

#[test]
fn check_reads_stdin_and_files() {
    let (code, _, _) = stdout(
        socialgov()
            .args(["check", "-"])
            .write_stdin("NHS no 943 476 5919"),
    );
    assert_eq!(code, 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.txt");
    std::fs::write(&path, "NHS no 943 476 5919").unwrap();
    let (code, _, _) = stdout(socialgov().args(["check", "--file"]).arg(&path));
    assert_eq!(code, 1);
}

#[test]
fn unknown_pack_exits_2() {
    let (code, _, err) = stdout(socialgov().args(["check", "--pack", "nope", "hello"]));
    assert_eq!(code, 2);
    assert!(err.contains("no pack called `nope`"), "{err}");
}

#[test]
fn bad_usage_exits_2() {
    let (code, _, _) = stdout(socialgov().args(["check", "--threads", "2", "x"]));
    assert_eq!(code, 2);
    let (code, _, _) = stdout(socialgov().args(["frobnicate"]));
    assert_eq!(code, 2);
}

#[test]
fn jsonl_keeps_order_ids_and_byte_offsets() {
    let input = "{\"id\": 1, \"text\": \"NHS no 943 476 5919\"}\n\n{\"id\": \"b\", \"text\": \"all good here\"}\n{\"id\": [3], \"text\": \"😀 who the f*ck\"}\n";
    let (code, out, _) = stdout(
        socialgov()
            .args(["check", "--jsonl", "--threads", "2"])
            .write_stdin(input),
    );
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["findings"][0]["kind"], "nhs_number");
    assert_eq!(lines[0]["findings"][0]["start"], 7);
    assert_eq!(lines[0]["findings"][0]["end"], 19);
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["findings"].as_array().unwrap().len(), 0);
    assert_eq!(lines[2]["id"], serde_json::json!([3]));
    let f = &lines[2]["findings"][0];
    assert_eq!(
        (f["start"].as_u64(), f["end"].as_u64()),
        (Some(13), Some(17))
    );
    for key in [
        "category", "rule", "severity", "kind", "start", "end", "message", "clause",
    ] {
        assert!(f.get(key).is_some(), "finding has {key}");
    }
}

#[test]
fn jsonl_many_lines_in_order_with_threads() {
    let mut input = String::new();
    for i in 0..500 {
        let text = if i % 3 == 0 { "ffs" } else { "fine" };
        input.push_str(&format!("{{\"id\": {i}, \"text\": \"{text}\"}}\n"));
    }
    let (code, out, _) = stdout(
        socialgov()
            .args(["check", "--jsonl", "--threads", "4"])
            .write_stdin(input),
    );
    assert_eq!(code, 1);
    for (i, line) in out.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["id"], i);
        assert_eq!(v["findings"].as_array().unwrap().is_empty(), i % 3 != 0);
    }
}

#[test]
fn jsonl_malformed_lines_stop_with_line_number() {
    for (input, expect) in [
        (
            "{\"id\": 1, \"text\": \"ok\"}\nnot json\n",
            "line 2: not JSON",
        ),
        ("{\"id\": 1}\n", "line 1: no `text` field"),
        (
            "{\"id\": 1, \"text\": 5}\n",
            "line 1: `text` is not a string",
        ),
        ("[1, 2]\n", "line 1: not a JSON object"),
    ] {
        let (code, _, err) = stdout(socialgov().args(["check", "--jsonl"]).write_stdin(input));
        assert_eq!(code, 2, "{input}");
        assert!(err.contains(expect), "{input}: {err}");
    }
    let mut bytes = b"{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\"}\n");
    let (code, _, err) = stdout(socialgov().args(["check", "--jsonl"]).write_stdin(bytes));
    assert_eq!(code, 2);
    assert!(err.contains("line 2: not valid UTF-8"), "{err}");
}

#[test]
fn jsonl_keep_going_reports_errors_inline() {
    let input = "{\"id\": 1, \"text\": \"fine\"}\nnope\n{\"id\": 3, \"text\": \"fine\"}\n";
    let (code, out, _) = stdout(
        socialgov()
            .args(["check", "--jsonl", "--keep-going"])
            .write_stdin(input),
    );
    assert_eq!(code, 2);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1]["error"].as_str().unwrap().contains("line 2"));
    assert_eq!(lines[2]["id"], 3);
}

#[test]
fn redact_replaces_identifiers() {
    let (code, out, _) = stdout(socialgov().args([
        "redact",
        "son says his mum's NHS no is 4010232145, can someone check her scan date",
    ]));
    assert_eq!(code, 0);
    assert_eq!(
        out.trim_end(),
        "son says his mum's NHS no is [NHS NUMBER], can someone check her scan date"
    );
}

#[test]
fn packs_list_show_validate() {
    let (code, out, _) = stdout(socialgov().args(["packs", "list"]));
    assert_eq!(code, 0);
    for id in ["nhs-baseline", "2gether", "cumbria", "heft", "mtw", "tsdft"] {
        assert!(out.contains(id), "{out}");
    }
    let (code, out, _) = stdout(socialgov().args(["packs", "show", "heft"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("extends: nhs-baseline") && out.contains("heft §"),
        "{out}"
    );

    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[pack]\nid = \"good\"\ntitle = \"Good\"\nextends = \"nhs-baseline\"\n[cues]\nlocal = \"extra.txt\"\n").unwrap();
    std::fs::write(dir.path().join("extra.txt"), "# mine\nsome phrase\n").unwrap();
    let (code, out, err) = stdout(socialgov().args(["packs", "validate"]).arg(&good));
    assert_eq!(code, 0, "{out}{err}");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[pack]\nid = \"bad\"\ntitle = \"Bad\"\nextends = \"nhs-baseline\"\n\n[rules.slur]\nthreshold = \"high\"\n").unwrap();
    let (code, _, err) = stdout(socialgov().args(["packs", "validate"]).arg(&bad));
    assert_eq!(code, 2);
    assert!(err.contains("bad.toml:7:"), "{err}");
    let (code, _, _) = stdout(
        socialgov()
            .args(["check", "--pack"])
            .arg(&good)
            .arg("NHS no 943 476 5919"),
    );
    assert_eq!(code, 1);
}

#[test]
fn eval_reports_every_category() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.jsonl");
    std::fs::write(
        &labels,
        "{\"id\": \"x1\", \"text\": \"NHS no 943 476 5919\", \"labels\": [\"patient_identifier\"], \"spans\": [{\"category\": \"patient_identifier\", \"start\": 7, \"end\": 19, \"kind\": \"nhs_number\"}]}\n{\"id\": \"x2\", \"text\": \"nice day\", \"labels\": [], \"spans\": []}\n",
    )
    .unwrap();
    let (code, out, _) = stdout(
        socialgov()
            .args(["eval", "--json", "--labels"])
            .arg(&labels),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["items"], 2);
    assert_eq!(v["categories"].as_array().unwrap().len(), 12);
    assert_eq!(v["categories"][0]["precision"], 1.0);
    assert_eq!(v["identifier_span_recall_exact"], 1.0);
}

#[test]
fn completions_print_a_script() {
    let (code, out, _) = stdout(socialgov().args(["completions", "bash"]));
    assert_eq!(code, 0);
    assert!(out.contains("socialgov"));
}

#[test]
fn explain_lists_cue_groups_and_features() {
    let (code, out, _) = stdout(socialgov().args([
        "check",
        "--explain",
        "Replying to @kerrymum: you were seen in 20 mins, stop exaggerating",
    ]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("cues and features present:"), "{out}");
    assert!(out.contains("@Reply"), "{out}");
    assert!(out.contains("complaint_reply"), "{out}");
}

#[test]
fn tokens_are_issued_once_and_revoked_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (code, _, err) = stdout(
        socialgov()
            .args([
                "user",
                "add",
                "intranet",
                "--name",
                "Intranet",
                "--data-dir",
                data,
            ])
            .write_stdin("a long enough password\n"),
    );
    assert_eq!(code, 0, "{err}");
    let (code, secret, err) = stdout(socialgov().args([
        "token",
        "add",
        "intranet",
        "--name",
        "plug-in",
        "--scopes",
        "check_post",
        "--data-dir",
        data,
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        secret.trim().starts_with("sgv_") && secret.trim().len() > 40,
        "{secret}"
    );
    assert!(err.contains("token 1 issued"), "{err}");
    let (code, _, err) = stdout(socialgov().args([
        "token",
        "add",
        "intranet",
        "--name",
        "x",
        "--scopes",
        "everything",
        "--data-dir",
        data,
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown scope \"everything\""), "{err}");
    let (code, out, _) = stdout(socialgov().args(["token", "revoke", "1", "--data-dir", data]));
    assert_eq!((code, out.trim()), (0, "token 1 revoked"));
    let (code, _, err) = stdout(socialgov().args(["token", "revoke", "1", "--data-dir", data]));
    assert_eq!(code, 2);
    assert!(err.contains("not found"), "{err}");
}
