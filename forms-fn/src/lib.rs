//! The form function of the KPU Provinsi NTB portal: it receives a citizen's submission,
//! records it durably, and mails it to the service desk. The form model (definitions,
//! validation, the HTML form) is `forms_model`'s; this crate is the function around it:
//!
//! - [`handler`]: the request pipeline, from the head's checks to the receipt, behind plain
//!   `http` types;
//! - [`delivery`]: the desk's mail and the citizen's confirmation for a recorded submission,
//!   used by the handler, the [`queue`] (after the answer, in a long-running server) and
//!   [`resend`];
//! - [`outbox`] (a folder or S3), [`email`] and [`mailer`] (SMTP or `.eml` files);
//! - [`app`] and [`config`]: what is loaded once, from the environment and the site;
//! - adapters: the hardened local HTTP [`server`], the `tiny_http` one of `generator serve`
//!   ([`local`]); the Lambda runtime is the binary's.

pub mod app;
pub mod config;
pub mod delivery;
pub mod email;
mod embedded;
pub mod guard;
pub mod handler;
#[cfg(feature = "local-server")]
pub mod local;
pub mod mailer;
pub mod outbox;
pub mod queue;
pub mod reference;
pub mod requests;
pub mod resend;
pub mod secret;
#[cfg(feature = "http-server")]
pub mod server;
#[cfg(feature = "s3")]
pub mod table;
pub mod theme;

pub use app::App;
pub use config::Config;
pub use handler::handle;
