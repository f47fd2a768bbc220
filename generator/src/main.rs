//! `generator`: build, check or serve the site.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use generator::diagnostic::Diagnostic;
use generator::{BuildOptions, Error, serve};

/// Builds the KPU Provinsi NTB portal from Markdown into a static site.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            strict,
            host_files,
            precompress,
            no_search,
        } => {
            let options = BuildOptions {
                root: site.root.clone(),
                base_url,
                drafts: site.drafts,
                strict,
                host_files,
                search: !no_search,
                ..BuildOptions::default()
            };
            let output = output.unwrap_or_else(|| site.root.join("public"));
            generator::build(&options).and_then(|mut built| {
                print_warnings(&built.warnings);
                if precompress {
                    let compressed = generator::hosting::precompressed(&built.outputs)?;
                    built.outputs.extend(compressed);
                }
                let stats = generator::output::write(&output, &built.outputs)?;
                eprintln!(
                    "built {} pages and {} sections into {} ({} files, {} stale removed) in {} ms",
                    built.site.pages.len(),
                    built.site.sections.len(),
                    output.display(),
                    stats.written,
                    stats.removed,
                    built.elapsed.as_millis()
                );
                Ok(())
            })
        }
        Command::Check { site, strict } => {
            let options = BuildOptions {
                root: site.root,
                drafts: site.drafts,
                strict,
                check_external: true,
                ..BuildOptions::default()
            };
            generator::build(&options).map(|built| {
                print_warnings(&built.warnings);
                eprintln!(
                    "checked {} pages and {} sections: no errors",
                    built.site.pages.len(),
                    built.site.sections.len()
                );
            })
        }
        Command::Deploy {
            site,
            bucket,
            prefix,
            endpoint,
            base_url,
            strict,
            dry_run,
        } => {
            let options = BuildOptions {
                root: site.root,
                base_url,
                drafts: site.drafts,
                strict,
                search: true,
                ..BuildOptions::default()
            };
            generator::build(&options).and_then(|built| {
                print_warnings(&built.warnings);
                let plan = generator::deploy::deploy(
                    &built.outputs,
                    &generator::deploy::DeployOptions {
                        bucket: bucket.clone(),
                        prefix,
                        endpoint,
                        dry_run,
                    },
                )?;
                let verb = if dry_run { "would " } else { "" };
                for key in &plan.upload {
                    println!("{verb}upload {key}");
                }
                for key in &plan.delete {
                    println!("{verb}delete {key}");
                }
                let (up, del, note) = if dry_run {
                    ("to upload", "to delete", " (dry run: nothing changed)")
                } else {
                    ("uploaded", "deleted", "")
                };
                println!(
                    "s3://{bucket}: {} {up}, {} {del}, {} unchanged{note}",
                    plan.upload.len(),
                    plan.delete.len(),
                    plan.unchanged
                );
                Ok(())
            })
        }
        Command::Serve { site, port, bind } => serve::run(&serve::ServeOptions {
            root: site.root,
            drafts: site.drafts,
            port,
            bind,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::FAILURE
        }
    }
}

fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
    let to_confirm = warnings
        .iter()
        .filter(|w| w.message.starts_with("value to confirm"))
        .count();
    if to_confirm > 0 {
        eprintln!(
            "{to_confirm} value{} to confirm: replace each `{{konfirmasi: ...}}` with the confirmed fact before publishing (`build --strict` refuses them)",
            if to_confirm == 1 { "" } else { "s" }
        );
    }
    if !warnings.is_empty() {
        eprintln!(
            "{} warning{}\n",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        );
    }
}

/// Prints the error once, as a chain: every diagnostic, then `error: ...` and its causes.
fn report(err: &Error) {
    if let Error::Site(diagnostics) = err {
        for d in diagnostics {
            eprintln!("{d}");
        }
    }
    eprintln!("error: {err}");
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        eprintln!("caused by: {c}");
        cause = c.source();
    }
}
