//! The `recourse` binary: the command line when a subcommand is given, otherwise the app.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = recourse::cli::Cli::parse();
    if cli.command.is_some() {
        // Printing into a closed pipe (`recourse case show 1 | head`) ends the command quietly,
        // as for any Unix tool, instead of panicking on the write error.
        #[cfg(unix)]
        // SAFETY: restoring the default disposition of one signal before any thread starts.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
        return recourse::cli::run(cli);
    }
    #[cfg(windows)]
    drop_own_console();
    match open_app(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(feature = "gui")]
fn open_app(cli: recourse::cli::Cli) -> anyhow::Result<()> {
    use recourse::gui;
    let data_dir = if cli.demo {
        let dir = gui::demo_dir()?;
        let mut dd = recourse::datadir::DataDir::open(&dir)?;
        // A Korean case, told in Korean time whatever the machine's zone (Settings changes it).
        dd.store.set_zone(chrono_tz::Asia::Seoul)?;
        gui::demo::populate(&mut dd, chrono::Utc::now())?;
        eprintln!("demo data directory: {}", dir.display());
        dir
    } else {
        match cli.data_dir {
            Some(dir) => dir,
            None => recourse::datadir::DataDir::default_path()?,
        }
    };
    gui::run(gui::AppOptions {
        data_dir,
        lang: cli.lang.map(|l| match l {
            recourse::cli::Lang::Ko => gui::i18n::Lang::Ko,
            recourse::cli::Lang::En => gui::i18n::Lang::En,
        }),
        now: None,
        review: cli.review,
        demo: cli.demo,
    })
}

#[cfg(not(feature = "gui"))]
fn open_app(_cli: recourse::cli::Cli) -> anyhow::Result<()> {
    use clap::CommandFactory;
    let _ = recourse::cli::Cli::command().print_help();
    anyhow::bail!(
        "this build has no desktop app (built without the `gui` feature); use a subcommand"
    )
}

/// Started from Explorer or the Start menu, this console program got a console window of its
/// own, which the app does not use and which would end the app (a recording with it) when
/// closed: let go of it. Started from a command prompt, the console is the prompt's, shared,
/// and stays — the app's messages still reach it. (One exe for both: the command line keeps
/// its exit codes, which a GUI-subsystem exe would lose to cmd.exe not waiting for it.)
#[cfg(windows)]
fn drop_own_console() {
    use windows_sys::Win32::System::Console::{FreeConsole, GetConsoleProcessList};
    let mut ids = [0u32; 2];
    // SAFETY: the buffer holds as many ids as the count passed.
    let sharing = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    if sharing == 1 {
        // SAFETY: detaching from a console this process alone uses; std's standard streams
        // then write nowhere, quietly.
        unsafe {
            FreeConsole();
        }
    }
}
