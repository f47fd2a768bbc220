//! What each command of the `generator` binary does, after its arguments are parsed: build,
//! check and deploy, with what they print. (`serve` is [`crate::serve::run`].)

use std::path::Path;

use crate::deploy::DeployOptions;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::{BuildOptions, hosting, output, t};

/// The English plural ending of `n` things (the catalogue's `{s}`).
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Builds the site into `output`, removing stale files; with `precompress`, a `.gz` and a
/// `.br` beside each text file.
pub fn build(options: &BuildOptions, output: &Path, precompress: bool) -> Result<()> {
    let mut built = crate::build(options)?;
    print_warnings(&built.warnings, options.all_warnings);
    if precompress {
        let compressed = hosting::precompressed(&built.outputs)?;
        built.outputs.extend(compressed);
    }
    let stats = output::write(output, &built.outputs)?;
    eprintln!(
        "{}",
        t!(
            "commands.built",
            pages = built.site.pages.len(),
            sections = built.site.sections.len(),
            output = output.display(),
            files = stats.written,
            removed = stats.removed,
            ms = built.elapsed.as_millis()
        )
    );
    // The process ends here: freeing the site one allocation at a time would take longer
    // (a twentieth of a 10,000-page build) than the exit, which frees it at once.
    std::mem::forget(built);
    Ok(())
}

/// Checks the site as a build does; writes nothing.
pub fn check(options: &BuildOptions) -> Result<()> {
    let built = crate::build(options)?;
    print_warnings(&built.warnings, options.all_warnings);
    eprintln!(
        "{}",
        t!(
            "commands.checked",
            pages = built.site.pages.len(),
            sections = built.site.sections.len()
        )
    );
    Ok(())
}

/// Builds the site and makes the bucket match it (or, dry, says what that would do).
pub fn deploy(options: &BuildOptions, target: &DeployOptions) -> Result<()> {
    let built = crate::build(options)?;
    print_warnings(&built.warnings, options.all_warnings);
    let plan = crate::deploy::deploy(&built.outputs, target)?;
    for key in &plan.upload {
        println!(
            "{}",
            if target.dry_run {
                t!("deploy.would_upload", key = key)
            } else {
                t!("deploy.upload", key = key)
            }
        );
    }
    for key in &plan.delete {
        println!(
            "{}",
            if target.dry_run {
                t!("deploy.would_delete", key = key)
            } else {
                t!("deploy.delete", key = key)
            }
        );
    }
    let (bucket, upload, delete, unchanged) = (
        &target.bucket,
        plan.upload.len(),
        plan.delete.len(),
        plan.unchanged,
    );
    println!(
        "{}",
        if target.dry_run {
            t!(
                "deploy.summary.dry_run",
                bucket = bucket,
                upload = upload,
                delete = delete,
                unchanged = unchanged
            )
        } else {
            t!(
                "deploy.summary",
                bucket = bucket,
                upload = upload,
                delete = delete,
                unchanged = unchanged
            )
        }
    );
    Ok(())
}

/// The build's warnings (frequent kinds folded unless `all`), then how many values are
/// still to confirm and how many warnings.
pub fn print_warnings(warnings: &[Diagnostic], all: bool) {
    eprint!(
        "{}",
        crate::report::render(warnings, crate::report::Style::for_stderr(all))
    );
    let to_confirm = warnings
        .iter()
        .filter(|w| crate::config::is_placeholder(w))
        .count();
    if to_confirm > 0 {
        eprintln!(
            "{}",
            t!(
                "commands.to_confirm",
                n = to_confirm,
                s = plural(to_confirm)
            )
        );
    }
    let notes = warnings.iter().filter(|w| !w.is_warning()).count();
    let warnings = warnings.len() - notes;
    let count_warnings = || {
        t!(
            "commands.count.warnings",
            n = warnings,
            s = plural(warnings)
        )
    };
    match (warnings, notes) {
        (0, 0) => {}
        (_, 0) => eprintln!("{}\n", count_warnings()),
        (_, n) => eprintln!(
            "{}, {}\n",
            count_warnings(),
            t!("commands.count.notes", n = n, s = plural(n))
        ),
    }
}
