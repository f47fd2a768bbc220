//! What each command of the `generator` binary does, after its arguments are parsed: build,
//! check and deploy, with what they print. (`serve` is [`crate::serve::run`].)

use std::path::Path;

use crate::deploy::DeployOptions;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::{BuildOptions, hosting, output};

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
        "built {} pages and {} sections into {} ({} files, {} stale removed) in {} ms",
        built.site.pages.len(),
        built.site.sections.len(),
        output.display(),
        stats.written,
        stats.removed,
        built.elapsed.as_millis()
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
        "checked {} pages and {} sections: no errors",
        built.site.pages.len(),
        built.site.sections.len()
    );
    Ok(())
}

/// Builds the site and makes the bucket match it (or, dry, says what that would do).
pub fn deploy(options: &BuildOptions, target: &DeployOptions) -> Result<()> {
    let built = crate::build(options)?;
    print_warnings(&built.warnings, options.all_warnings);
    let plan = crate::deploy::deploy(&built.outputs, target)?;
    let verb = if target.dry_run { "would " } else { "" };
    for key in &plan.upload {
        println!("{verb}upload {key}");
    }
    for key in &plan.delete {
        println!("{verb}delete {key}");
    }
    let (up, del, note) = if target.dry_run {
        ("to upload", "to delete", " (dry run: nothing changed)")
    } else {
        ("uploaded", "deleted", "")
    };
    println!(
        "s3://{}: {} {up}, {} {del}, {} unchanged{note}",
        target.bucket,
        plan.upload.len(),
        plan.delete.len(),
        plan.unchanged
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
        .filter(|w| w.message.starts_with("value to confirm"))
        .count();
    if to_confirm > 0 {
        eprintln!(
            "{to_confirm} value{} to confirm: replace each `{{konfirmasi: ...}}` with the confirmed fact before publishing (`build --strict` refuses them)",
            if to_confirm == 1 { "" } else { "s" }
        );
    }
    let count = |n: usize, one: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    let notes = warnings.iter().filter(|w| !w.is_warning()).count();
    match (warnings.len() - notes, notes) {
        (0, 0) => {}
        (w, 0) => eprintln!("{}\n", count(w, "warning")),
        (w, n) => eprintln!("{}, {}\n", count(w, "warning"), count(n, "note")),
    }
}
