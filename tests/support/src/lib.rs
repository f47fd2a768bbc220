//! Helpers the workspace's test suites share: child processes stopped with the test, free
//! ports, the real servers the tests run against on loopback (aiosmtpd for SMTP, moto for
//! S3, both from PyPI, which `scripts/test` installs), and a plain HTTP/1.1 exchange with a
//! server under test.

pub mod http;
pub mod process;
pub mod servers;

pub use process::{Process, free_port, python_with, wait_for_port};
