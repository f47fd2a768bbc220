//! The forms of the KPU Provinsi NTB portal, from definition to the service desk's mailbox:
//! [`schema`] reads a form's definition, [`render`] turns it into an accessible HTML form,
//! [`submission`] parses what a citizen posts, [`validate`] checks it, [`outbox`] records it
//! durably, [`email`] and [`mailer`] deliver it, and [`handler`] ties them together behind
//! plain `http` types. Only the binary knows about Lambda.

pub mod app;
pub mod calendar;
pub mod email;
pub mod guard;
pub mod handler;
pub mod html;
pub mod lang;
pub mod mailer;
pub mod media;
pub mod outbox;
pub mod queue;
pub mod reference;
pub mod render;
pub mod resend;
pub mod schema;
pub mod secret;
#[cfg(feature = "http-server")]
pub mod server;
pub mod submission;
pub mod validate;

pub use app::{App, Config};
pub use handler::handle;
