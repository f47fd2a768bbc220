//! The static-site generator of the KPU Provinsi NTB public-service portal: Markdown with
//! YAML front matter in, a complete accessible static site out.
//!
//! The pipeline: [`config`] and [`content`] read the sources into a [`site::Site`],
//! [`markdown`] renders each page once, [`links`] checks every link, [`render`] fills the
//! theme's [`templates`], and [`output`] writes the files. [`build::build`] runs it all;
//! [`serve`] keeps it running and rebuilds what changes; [`deploy`] sends it to S3.

pub mod admin;
pub mod assets;
pub mod build;
pub mod commands;
pub mod config;
pub mod content;
pub mod context;
pub mod dates;
pub mod deploy;
pub mod diagnostic;
pub mod error;
pub mod facts;
pub mod feeds;
pub mod forms;
pub mod front_matter;
pub mod fs;
pub mod hosting;
pub mod i18n;
pub mod keys;
pub mod links;
pub mod lint;
pub mod markdown;
pub mod messages;
pub mod offline;
pub mod output;
pub mod performance;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod service_standard;
pub mod site;
pub mod slug;
pub mod templates;
pub mod yaml_error;

pub use build::{BuildOptions, Built, build};
pub use error::{Error, Result};
