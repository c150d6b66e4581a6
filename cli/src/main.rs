//! `tsubaki`: keys and private statistics rounds across organizations (DESIGN §7, §8a).
//!
//! Every command parses its files, calls the library (`tsubaki::stats`, where every rule
//! lives) and prints. Errors are one line on stderr naming the file and the cause; exit
//! codes: 0 success, 1 refused or failed, 2 usage (clap's).

mod commands;
mod demo;
mod files;
mod progress;
mod seal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Keys and private statistics rounds across organizations.
#[derive(Debug, Parser)]
#[command(name = "tsubaki", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Generate a P-256 key pair: NAME.pem (PKCS#8, mode 0600) and NAME.pub.pem (SPKI).
    Keygen {
        /// Output name (NAME.pem and NAME.pub.pem).
        #[arg(short = 'o', long = "output", value_name = "NAME")]
        output: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Private statistics rounds.
    #[command(subcommand)]
    Stats(StatsCmd),
}

#[derive(Debug, Subcommand)]
enum StatsCmd {
    /// Coordinator: write the signed manifest and deal the threshold key (one sealed share
    /// per committee member).
    Setup(commands::SetupArgs),
    /// Contributor: check values against the schema, encrypt and sign them.
    Contribute(commands::ContributeArgs),
    /// Aggregator: verify contributions (and merge aggregates), refuse bad ones, add the
    /// rest.
    Aggregate(commands::AggregateArgs),
    /// Committee member: re-check the aggregate and write a partial decryption (once per
    /// round).
    Partial(commands::PartialArgs),
    /// Combiner: verify partial decryptions and write the report.
    Combine(commands::CombineArgs),
    /// Run a whole round over files in a temporary directory, timing each phase.
    Demo(demo::DemoArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Keygen { output, force } => commands::keygen(&output, force),
        Cmd::Stats(StatsCmd::Setup(a)) => commands::setup(&a).map(|_| ()),
        Cmd::Stats(StatsCmd::Contribute(a)) => commands::contribute(&a),
        Cmd::Stats(StatsCmd::Aggregate(a)) => commands::aggregate(&a),
        Cmd::Stats(StatsCmd::Partial(a)) => commands::partial(&a),
        Cmd::Stats(StatsCmd::Combine(a)) => commands::combine(&a).map(|_| ()),
        Cmd::Stats(StatsCmd::Demo(a)) => demo::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            progress::eprintln(&format!("tsubaki: {e}"));
            ExitCode::from(e.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
