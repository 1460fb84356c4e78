//! The `recourse` binary: the command line when a subcommand is given, otherwise the app.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = recourse::cli::Cli::parse();
    if cli.command.is_none() {
        // The desktop app lands with the GUI issue; until then the bare command explains itself.
        use clap::CommandFactory;
        let _ = recourse::cli::Cli::command().print_help();
        return ExitCode::from(2);
    }
    recourse::cli::run(cli)
}
