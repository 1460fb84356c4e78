//! Fonts the program ships: NanumGothic (SIL OFL 1.1, `assets/fonts/OFL.txt`), which covers
//! Hangul and Latin. The app registers it as a fallback; the packet's PDF embeds a subset.

/// NanumGothic Regular.
pub const NANUM_GOTHIC: &[u8] = include_bytes!("../assets/fonts/NanumGothic.ttf");
