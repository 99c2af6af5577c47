//! `socialgov`: the one binary. This file is the command-line edge: it parses arguments,
//! reads files and standard input, and turns errors into messages and exit statuses.
//!
//! Exit status: 0 when no `block` finding, 1 when at least one, 2 for bad usage or input.

/// `println!` that returns an error instead of panicking when stdout is closed
/// (`socialgov eval … | head`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?;
    }};
}

mod bench;
mod check;
mod eval;
mod packs;
mod server;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Social media governance for NHS trusts.
///
/// Checks posts against a trust's social media policy, explaining each finding with the
/// clause it rests on, and redacts patient identifiers.
#[derive(Parser)]
#[command(
    name = "socialgov",
    version,
    propagate_version = true,
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a post against a policy pack and explain each finding.
    ///
    /// Reads TEXT, or --file F, or standard input when TEXT is `-` or absent. With --jsonl,
    /// reads one `{"id": …, "text": "…"}` object per line from FILE (or standard input) and
    /// writes one `{"id": …, "findings": […]}` line for each, in input order.
    ///
    /// Exit status: 0 no `block` finding; 1 at least one `block` finding; 2 bad usage or input.
    Check(check::CheckArgs),
    /// Print the text with identifiers replaced by markers such as [NHS NUMBER].
    Redact {
        #[command(flatten)]
        pack: packs::PackArg,
        /// The text to redact; `-` or absent reads standard input.
        text: Option<String>,
        /// Read the text from this file.
        #[arg(long, short, conflicts_with = "text")]
        file: Option<PathBuf>,
    },
    /// List, show or validate policy packs.
    Packs {
        #[command(subcommand)]
        command: packs::PacksCommand,
    },
    /// Measure a pack against a labelled JSONL file: per-category precision, recall and F1.
    Eval(eval::EvalArgs),
    /// Measure checking speed over a generated corpus of realistic posts.
    Bench(bench::BenchArgs),
    /// Run the web interface and API server.
    ///
    /// Uses SQLite in --data-dir unless --database-url names a PostgreSQL database;
    /// migrations are applied at start. Stops cleanly on Ctrl-C or SIGTERM.
    Serve(server::ServeArgs),
    /// Print the configuration file with every key and its documented default.
    Config,
    /// Add users, set passwords, disable and enable accounts.
    User {
        #[command(flatten)]
        config: server::ConfigArgs,
        #[command(subcommand)]
        command: server::UserCommand,
    },
    /// Issue and revoke API tokens for integrations.
    Token {
        #[command(flatten)]
        config: server::ConfigArgs,
        #[command(subcommand)]
        command: server::TokenCommand,
    },
    /// Check the audit log's hash chain.
    Audit {
        #[command(flatten)]
        config: server::ConfigArgs,
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Report the first entry that was altered, removed or reordered (exit 1), or that the
    /// chain is intact (exit 0).
    Verify,
}

/// An error that has already been explained to the user, with its exit status.
#[derive(Debug)]
pub struct Exit(pub u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for Exit {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let Some(Exit(code)) = e.downcast_ref::<Exit>() {
                return ExitCode::from(*code);
            }
            // The reader went away (`| head`): nothing more to say.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "socialgov: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Redact { pack, text, file } => {
            let scanner = pack.load()?;
            let text = check::read_input(text, file)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", scanner.redact(&text))?;
            Ok(0)
        }
        Command::Packs { command } => packs::run(command),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Serve(args) => server::serve(args),
        Command::Config => {
            outln!(
                "{}",
                socialgov_server::config::Config::documented_defaults()
            );
            Ok(0)
        }
        Command::User { config, command } => server::user(config, command),
        Command::Token { config, command } => server::token(config, command),
        Command::Audit {
            config,
            command: AuditCommand::Verify,
        } => server::audit_verify(config),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "socialgov",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
