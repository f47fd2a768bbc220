//! `generator`: build, check or serve the site.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use generator::deploy::DeployOptions;
use generator::messages::{self, Lang};
use generator::{BuildOptions, Error, commands, serve, t};

/// mimalloc instead of glibc's malloc: the search index allocates and frees millions of
/// small buffers from many threads, where glibc's arenas spent a third of the build in
/// malloc/free and the kernel, and held far more resident memory than the heap needed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Builds the KPU Provinsi NTB portal from Markdown into a static site.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of messages, `id` or `en` [default: the locale's, else site.yaml's
    /// `editor_language`, else id].
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("`{text}` is not a language of the messages: id or en"))
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder, removing stale files from an earlier build.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: public/ inside the site's folder].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Publish at this address instead of site.yaml's `base_url`.
        #[arg(long)]
        base_url: Option<String>,
        /// Refuse to build while warnings remain (such as values still to confirm).
        #[arg(long)]
        strict: bool,
        /// Also write `_headers` and `_redirects` (security headers, caching, aliases) for
        /// Netlify and Cloudflare Pages.
        #[arg(long)]
        host_files: bool,
        /// Also write a `.gz` and a `.br` beside each text file, for hosts that serve them.
        #[arg(long)]
        precompress: bool,
        /// Leave out the search index (and the search and A–Z pages).
        #[arg(long)]
        no_search: bool,
    },
    /// Check the site as `build` does, plus the syntax of external links; writes nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Build and upload the site to an S3 bucket: only what changed, with each file's
    /// Content-Type and Cache-Control; files the build no longer has are deleted.
    Deploy {
        #[command(flatten)]
        site: SiteArgs,
        /// The bucket (the site bucket of deploy/template.yaml).
        #[arg(long)]
        bucket: String,
        /// Prepended to every key.
        #[arg(long, default_value = "")]
        prefix: String,
        /// An S3-compatible endpoint instead of AWS's (addressed path-style).
        #[arg(long)]
        endpoint: Option<String>,
        /// Publish at this address instead of site.yaml's `base_url`.
        #[arg(long)]
        base_url: Option<String>,
        /// Refuse to deploy while warnings remain (such as values still to confirm).
        #[arg(long)]
        strict: bool,
        /// Print what would be uploaded and deleted, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Build, serve on this machine, and rebuild and reload pages on every change.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site's folder, holding `content/` and `templates/`.
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// List every warning, instead of the first few of a kind that comes many times.
    #[arg(long)]
    all_warnings: bool,
}

/// Asks Linux not to back this process's memory with transparent huge pages. The allocator
/// asks for them, and the kernel then zeroes 2 MiB for every fresh region the search index
/// touches: at 10,000 pages that was over a third of the build's time, in the kernel.
fn without_huge_pages() {
    // Only an optimisation: where the kernel refuses, the build is merely slower.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() -> ExitCode {
    without_huge_pages();
    let cli = Cli::parse();
    messages::init(cli.lang);
    let command = cli.command;
    let all_warnings = command.site().all_warnings;
    let result = match command {
        Command::Build {
            site,
            output,
            base_url,
            strict,
            host_files,
            precompress,
            no_search,
        } => {
            let output = output.unwrap_or_else(|| site.root.join("public"));
            let options = BuildOptions {
                base_url,
                strict,
                host_files,
                search: !no_search,
                ..site.options()
            };
            commands::build(&options, &output, precompress)
        }
        Command::Check { site, strict } => commands::check(&BuildOptions {
            strict,
            check_external: true,
            ..site.options()
        }),
        Command::Deploy {
            site,
            bucket,
            prefix,
            endpoint,
            base_url,
            strict,
            dry_run,
        } => commands::deploy(
            &BuildOptions {
                base_url,
                strict,
                search: true,
                ..site.options()
            },
            &DeployOptions {
                bucket,
                prefix,
                endpoint,
                dry_run,
            },
        ),
        Command::Serve { site, port, bind } => serve::run(&serve::ServeOptions {
            root: site.root,
            drafts: site.drafts,
            all_warnings: site.all_warnings,
            port,
            bind,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err, all_warnings);
            ExitCode::FAILURE
        }
    }
}

impl SiteArgs {
    /// The build options these arguments set; a command adds its own.
    fn options(self) -> BuildOptions {
        BuildOptions {
            root: self.root,
            drafts: self.drafts,
            all_warnings: self.all_warnings,
            ..BuildOptions::default()
        }
    }
}

impl Command {
    fn site(&self) -> &SiteArgs {
        match self {
            Command::Build { site, .. }
            | Command::Check { site, .. }
            | Command::Deploy { site, .. }
            | Command::Serve { site, .. } => site,
        }
    }
}

/// Prints the error once, as a chain: every diagnostic (errors first, frequent warnings
/// folded unless `all_warnings`), then `error: ...` and its causes.
fn report(err: &Error, all_warnings: bool) {
    if let Error::Site(diagnostics) = err {
        eprint!(
            "{}",
            generator::report::render(
                diagnostics,
                generator::report::Style::for_stderr(all_warnings)
            )
        );
    }
    eprintln!("{}: {err}", t!("report.label.error"));
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        eprintln!("{}: {c}", t!("report.label.caused_by"));
        cause = c.source();
    }
}
