//! `forms-fn`: the form function. Under AWS Lambda (or `cargo lambda watch`) it answers the
//! runtime's events; `forms-fn serve` answers HTTP on this machine; `forms-fn resend` sends
//! what the outbox still holds; `forms-fn purge` and `forms-fn retention` keep delivered
//! records no longer than the retention period; `forms-fn daily` is the morning round of
//! reminders, escalations and digests, `forms-fn cases` lists the requests, and
//! `forms-fn stats` writes the office's figures for a period.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use forms_fn::{App, Config, handle};

/// Receives the portal's form submissions, records them and emails the service desk.
/// Settings come from the environment: SITE_DIR, OUTBOX_DIR (or OUTBOX_BUCKET with
/// OUTBOX_PREFIX, OUTBOX_S3_ENDPOINT, OUTBOX_KMS_KEY), MAIL_DIR, SMTP_URL, SMTP_CA_FILE,
/// MAIL_FROM, STYLESHEET_URL, ALLOWED_ORIGINS, ADMIN_EMAIL, REQUESTS_TABLE (with
/// DYNAMODB_ENDPOINT), LINK_SECRET (or LINK_SECRET_SECRET).
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Answer form posts over HTTP on this machine (the same handler as under Lambda).
    Serve {
        #[arg(long, short, default_value_t = 9000)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Threads that send mail after the citizen has been answered.
        #[arg(long, default_value_t = 4)]
        senders: usize,
        /// Connections open at once; more are closed as soon as they arrive.
        #[arg(long, default_value_t = 256)]
        max_connections: usize,
        /// Connections one source (IPv4 address, IPv6 /64) may hold open at once.
        #[arg(long, default_value_t = 32)]
        max_per_source: usize,
        /// Seconds a client may take to send a request's headers.
        #[arg(long, default_value_t = 10)]
        header_timeout: u64,
        /// Seconds a client may take to send a whole body.
        #[arg(long, default_value_t = 60)]
        body_timeout: u64,
        /// MiB of bodies read at once over all connections; past it, 503 "busy".
        #[arg(long, default_value_t = 64)]
        body_budget: usize,
    },
    /// Send every submission still pending in the outbox.
    Resend {
        /// As the schedule does: only those whose next attempt is due, backing off after
        /// each failure and alerting after several.
        #[arg(long)]
        scheduled: bool,
    },
    /// Run under the AWS Lambda runtime as the scheduled re-send (an EventBridge rule).
    Scheduled,
    /// The morning round: reminders two working days before a deadline, escalations to the
    /// desk's head on it, and each desk's digest of open requests (once per day each).
    Daily,
    /// Run under the AWS Lambda runtime as the morning round (an EventBridge schedule).
    DailyLambda,
    /// List requests for an operator: open ones by default, soonest deadline first.
    Cases {
        /// Only this desk's (its key in site.yaml, e.g. `ppid`).
        #[arg(long)]
        desk: Option<String>,
        /// Only those in this state (diterima, diproses, diperpanjang, selesai, ditolak,
        /// dialihkan).
        #[arg(long, value_parser = parse_state)]
        state: Option<forms_fn::requests::State>,
        /// Only those due on or before this day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_day)]
        due_before: Option<forms_model::calendar::Day>,
        /// Only those open past their deadline.
        #[arg(long)]
        overdue: bool,
        /// Closed ones too.
        #[arg(long)]
        all: bool,
    },
    /// The office's figures for a period, as JSON (docs/kinerja.md): per service and in
    /// all, requests by state, answered on time and days to answer, and the satisfaction
    /// survey's index and grade; the PPID's report figures. Groups under five are hidden.
    Stats {
        /// The first day of the period (YYYY-MM-DD).
        #[arg(long, value_parser = parse_day)]
        from: forms_model::calendar::Day,
        /// The last day of the period (YYYY-MM-DD), included.
        #[arg(long, value_parser = parse_day)]
        to: forms_model::calendar::Day,
        /// Write it to this file (for `content/kinerja/`) instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Delete delivered records older than the retention period (pending ones are kept),
    /// and archive their requests.
    Purge {
        /// Days a delivered record is kept after delivery.
        #[arg(long)]
        days: u32,
    },
    /// Have the outbox bucket delete delivered records by itself after the retention
    /// period (an S3 lifecycle rule); pending records never expire.
    Retention {
        /// Days a delivered record is kept after delivery.
        #[arg(long)]
        days: u32,
    },
    /// Run under the AWS Lambda runtime (the default when no command is given, unless
    /// FORMS_FN_MODE=scheduled or =daily makes that the default).
    Lambda,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let app = match forms_fn::app::load(&Config::from_env()) {
        Ok(app) => app,
        Err(err) => {
            print_error(&err);
            return ExitCode::FAILURE;
        }
    };
    // Under Lambda there are no arguments: FORMS_FN_MODE=scheduled picks the re-send.
    let default = match std::env::var("FORMS_FN_MODE").as_deref() {
        Ok("scheduled") => Command::Scheduled,
        Ok("daily") => Command::DailyLambda,
        _ => Command::Lambda,
    };
    let result = match cli.command.unwrap_or(default) {
        Command::Serve {
            port,
            bind,
            senders,
            max_connections,
            max_per_source,
            header_timeout,
            body_timeout,
            body_budget,
        } => {
            let limits = forms_fn::server::ServerLimits {
                max_connections,
                max_per_source,
                header_timeout: std::time::Duration::from_secs(header_timeout),
                body_timeout: std::time::Duration::from_secs(body_timeout),
                connection_timeout: std::time::Duration::from_secs(
                    header_timeout + body_timeout + 60,
                ),
                body_budget: body_budget * 1024 * 1024,
                ..forms_fn::server::ServerLimits::default()
            };
            serve(app, &bind, port, senders, limits)
        }
        Command::Resend { scheduled } => resend(&app, scheduled),
        Command::Purge { days } => purge(&app, days),
        Command::Retention { days } => app.outbox.set_retention(days).map_or_else(
            |e| Err(e.into()),
            |()| {
                println!(
                    "{}: delivered records expire {days} days after delivery",
                    app.outbox.describe()
                );
                Ok(())
            },
        ),
        Command::Scheduled => scheduled_lambda(Arc::new(app)),
        Command::Daily => daily(&app).map(|round| {
            println!(
                "{} reminders, {} escalations, {} digests sent; {} failed; {} requests archived",
                round.reminders, round.escalations, round.digests, round.failed, round.archived
            );
        }),
        Command::DailyLambda => daily_lambda(Arc::new(app)),
        Command::Cases {
            desk,
            state,
            due_before,
            overdue,
            all,
        } => cases(
            &app,
            &forms_fn::requests::cases::Filter {
                desk,
                state,
                due_before,
                overdue,
                all,
            },
        ),
        Command::Stats { from, to, out } => stats(&app, from, to, out.as_deref()),
        Command::Lambda => lambda(Arc::new(app)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            print_error(err.as_ref());
            ExitCode::FAILURE
        }
    }
}

/// Whatever stopped a command: a typed error of the library, or the runtime's.
type Failure = Box<dyn std::error::Error + Send + Sync>;

/// An error and what caused it, once: `error: ...` then `  caused by: ...` lines.
fn print_error(err: &dyn std::error::Error) {
    eprintln!("error: {err}");
    let mut source = err.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
}

/// The single-threaded runtime the Lambda runtime loop runs on (mail is sent on a
/// blocking thread beside it).
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

fn now() -> u64 {
    forms_model::calendar::system_secs()
}

fn resend(app: &App, scheduled: bool) -> Result<(), Failure> {
    init_logs(false);
    let s = forms_fn::resend::run(app, now(), scheduled)?;
    println!(
        "{} delivered, {} still pending",
        s.delivered,
        s.pending + s.waiting
    );
    if s.pending == 0 {
        Ok(())
    } else {
        Err(format!("{} submissions could not be sent yet", s.pending).into())
    }
}

fn purge(app: &App, days: u32) -> Result<(), Failure> {
    let cutoff = now().saturating_sub(u64::from(days) * 86_400);
    let purged = app
        .outbox
        .purge_sent(cutoff)
        .map_err(|e| format!("cannot purge {}: {e}", app.outbox.describe()))?;
    println!(
        "{purged} delivered records older than {days} days deleted from {}",
        app.outbox.describe()
    );
    if let Some(store) = &app.requests {
        let archived = forms_fn::requests::retention::archive_purged(store, &app.outbox, cutoff)?;
        println!(
            "{archived} requests archived in {} (their details cleared)",
            store.describe()
        );
    }
    Ok(())
}

fn parse_state(text: &str) -> Result<forms_fn::requests::State, String> {
    forms_fn::requests::State::parse(text).ok_or_else(|| format!("no state named {text:?}"))
}

fn parse_day(text: &str) -> Result<forms_model::calendar::Day, String> {
    forms_model::calendar::Day::parse(text).ok_or_else(|| format!("{text:?} is not YYYY-MM-DD"))
}

fn requests(app: &App) -> Result<&forms_fn::requests::store::Store, Failure> {
    app.requests
        .as_ref()
        .ok_or_else(|| "this outbox keeps no requests store".into())
}

fn daily(app: &App) -> Result<forms_fn::requests::daily::Round, Failure> {
    init_logs(false);
    let round = forms_fn::requests::daily::run(app, requests(app)?)?;
    if round.failed == 0 {
        Ok(round)
    } else {
        Err(format!(
            "{} daily mails could not be sent; the next round retries",
            round.failed
        )
        .into())
    }
}

fn cases(app: &App, filter: &forms_fn::requests::cases::Filter) -> Result<(), Failure> {
    use forms_fn::requests::cases;
    let all = requests(app)?.all()?;
    let today = app.clock.today();
    let kept = cases::select(&all, filter, today);
    print!("{}", cases::table(&kept, all.len(), today));
    Ok(())
}

fn stats(
    app: &App,
    from: forms_model::calendar::Day,
    to: forms_model::calendar::Day,
    out: Option<&std::path::Path>,
) -> Result<(), Failure> {
    if to < from {
        return Err("--to comes before --from".into());
    }
    let report = forms_fn::requests::stats::report(app, requests(app)?, from, to)?;
    let json = serde_json::to_string_pretty(&report)? + "\n";
    match out {
        Some(path) => {
            std::fs::write(path, json)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!(
                "figures from {} to {} written to {}",
                report.from,
                report.to,
                path.display()
            );
        }
        None => print!("{json}"),
    }
    Ok(())
}

/// The morning round under Lambda: whatever the event, run it once.
fn daily_lambda(app: Arc<App>) -> Result<(), Failure> {
    on_schedule(app, |app| {
        let store = app.requests.as_ref().ok_or("no requests store")?;
        let round = forms_fn::requests::daily::run(app, store)?;
        Ok(serde_json::json!({
            "reminders": round.reminders,
            "escalations": round.escalations,
            "digests": round.digests,
            "failed": round.failed,
            "archived": round.archived,
        }))
    })
}

/// The scheduled re-send under Lambda: whatever the event, drain what is due.
fn scheduled_lambda(app: Arc<App>) -> Result<(), Failure> {
    on_schedule(app, |app| {
        let summary = forms_fn::resend::run(app, now(), true)?;
        // Stdout is the function's log: the metric for the "oldest pending" alarm.
        println!("{}", summary.metric_line(now()));
        Ok(serde_json::json!({
            "delivered": summary.delivered,
            "pending": summary.pending,
            "waiting": summary.waiting,
            "alerted": summary.alerted,
            "oldest_pending_secs": summary.oldest_pending_secs,
        }))
    })
}

/// Runs `job` (blocking, off the runtime's thread) for each scheduled event the Lambda
/// runtime delivers, answering with its summary.
fn on_schedule(
    app: Arc<App>,
    job: fn(&App) -> Result<serde_json::Value, lambda_http::Error>,
) -> Result<(), Failure> {
    init_logs(true);
    let runtime = runtime()?;
    runtime.block_on(lambda_http::lambda_runtime::run(lambda_http::service_fn(
        move |_: lambda_http::LambdaEvent<serde_json::Value>| {
            let app = Arc::clone(&app);
            async move { tokio::task::spawn_blocking(move || job(&app)).await? }
        },
    )))
}

/// Answers over HTTP; mail goes out from `senders` threads after each answer. On SIGTERM or
/// Ctrl-C the deliveries under way finish, and what is still queued stays pending.
fn serve(
    mut app: App,
    bind: &str,
    port: u16,
    senders: usize,
    limits: forms_fn::server::ServerLimits,
) -> Result<(), Failure> {
    init_logs(false);
    let queue = Arc::new(forms_fn::queue::Queue::new());
    app.queue = Some(Arc::clone(&queue));
    let app = Arc::new(app);
    let sender = Arc::clone(&app);
    forms_fn::queue::start(&queue, senders, move |record| {
        forms_fn::delivery::deliver_record(&sender, record)
    });
    stop_on_signal(Arc::clone(&app))?;
    Ok(forms_fn::server::run(
        app,
        &format!("{bind}:{port}"),
        limits,
    )?)
}

fn stop_on_signal(app: Arc<App>) -> Result<(), Failure> {
    let runtime = runtime()?;
    std::thread::spawn(move || {
        runtime.block_on(async {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut term) = signal(SignalKind::terminate()) else {
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        });
        let left = app
            .queue
            .as_ref()
            .map_or(0, |q| q.stop(std::time::Duration::from_secs(20)));
        tracing::info!(
            queued = left,
            "stopping; what was not sent stays pending in the outbox"
        );
        std::process::exit(0);
    });
    Ok(())
}

fn lambda(app: Arc<App>) -> Result<(), Failure> {
    init_logs(true);
    let runtime = runtime()?;
    runtime.block_on(lambda_http::run(lambda_http::service_fn(
        move |event: lambda_http::Request| {
            let app = Arc::clone(&app);
            async move {
                let source = client_ip(&event);
                let (parts, body) = event.into_parts();
                let mut request = http::Request::from_parts(parts, body.to_vec());
                if let Some(ip) = source {
                    request
                        .extensions_mut()
                        .insert(forms_fn::guard::ClientIp(ip));
                }
                // Mail is sent synchronously: keep it off the runtime's thread.
                let answer = tokio::task::spawn_blocking(move || handle(&app, &request)).await?;
                let (parts, body) = answer.into_parts();
                Ok::<_, lambda_http::Error>(lambda_http::Response::from_parts(
                    parts,
                    lambda_http::Body::from(body),
                ))
            }
        },
    )))
}

/// The caller's address from the request context API Gateway or the Function URL filled in.
fn client_ip(event: &lambda_http::Request) -> Option<String> {
    use lambda_http::RequestExt as _;
    use lambda_http::request::RequestContext;
    match event.request_context_ref()? {
        RequestContext::ApiGatewayV2(c) => c.http.source_ip.clone(),
        RequestContext::ApiGatewayV1(c) => c.identity.source_ip.clone(),
        _ => None,
    }
}

/// Logs carry references, form ids, outcomes and timings, never field values; JSON under
/// Lambda (CloudWatch), text on a terminal.
fn init_logs(json: bool) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().without_time().init();
    } else {
        builder.init();
    }
}
