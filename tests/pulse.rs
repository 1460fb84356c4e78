//! A private PulseAudio server with a 1 kHz sine source as the default input: a real capture
//! device without hardware. cpal opens ALSA's `default` device, which Debian's ALSA
//! configuration (libasound2-plugins) routes to PulseAudio.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A PulseAudio server of our own, killed on drop.
pub struct Pulse {
    child: Child,
    runtime: tempfile::TempDir,
}

impl Pulse {
    pub fn start() -> Pulse {
        let runtime = tempfile::tempdir().expect("runtime dir");
        let child = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--use-pid-file=no",
                "-L",
                "module-native-protocol-unix auth-anonymous=1",
                "-L",
                "module-sine-source source_name=tone frequency=1000 rate=48000",
            ])
            .env("XDG_RUNTIME_DIR", runtime.path())
            .env("HOME", runtime.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "cannot start pulseaudio: install pulseaudio, pulseaudio-utils and libasound2-plugins (bash .ci/install-deps)",
            );
        let pulse = Pulse { child, runtime };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let ok = pulse
                .pactl(&["set-default-source", "tone"])
                .status
                .success();
            if ok {
                break;
            }
            assert!(Instant::now() < deadline, "pulseaudio did not come up");
            std::thread::sleep(Duration::from_millis(50));
        }
        pulse
    }

    fn pactl(&self, args: &[&str]) -> std::process::Output {
        Command::new("pactl")
            .args(args)
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            .env("HOME", self.runtime.path())
            .output()
            .expect("pactl (pulseaudio-utils) is needed")
    }

    /// The directory its socket is in (what clients need as `XDG_RUNTIME_DIR`).
    pub fn runtime_dir(&self) -> &Path {
        self.runtime.path()
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
