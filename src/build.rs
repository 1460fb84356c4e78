//! Build script: on a Windows target, embeds the app icon and the version information
//! (Explorer's Properties → Details) into recourse.exe. Nothing on other targets.

fn main() {
    println!("cargo:rerun-if-changed=src/build.rs");
    println!("cargo:rerun-if-changed=assets/icons/recourse.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icons/recourse.ico")
        .set("ProductName", "recourse")
        .set(
            "FileDescription",
            "recourse — 소비자 분쟁 기록 · consumer dispute record",
        )
        .set("LegalCopyright", "MIT OR Apache-2.0");
    // Cross-building from Linux: mingw-w64's tools under their target-prefixed names.
    if std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu") && !cfg!(windows) {
        res.set_windres_path("x86_64-w64-mingw32-windres")
            .set_ar_path("x86_64-w64-mingw32-ar");
    }
    if let Err(e) = res.compile() {
        // Without the resource the exe still works, only without its icon: say so, loudly.
        println!("cargo:warning=the Windows resources (icon, version) were not embedded: {e}");
    }
}
