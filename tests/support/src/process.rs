//! Child processes and ports.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A child process that is stopped when the test ends, whatever happens.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on (the system's choice; free again once the probe closes).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Polls until something listens on `port` (a server's readiness, not a delay).
pub fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The Python that can import `module` (the interpreter itself, not a pyenv shim, so killing
/// the child stops the server).
pub fn python_with(module: &str) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            &format!("import {module}, sys; print(sys.executable)"),
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the Python module {module} is missing: run scripts/test, which installs it"
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
