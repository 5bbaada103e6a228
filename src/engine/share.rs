//! What the Share dialog hands out: the page's link and a ready `<iframe>` snippet that embeds
//! the same scene, built from [`url::encode`] so a pasted snippet shows exactly the scene the
//! author had on screen.

use super::scene::{Panel, Scene};
use super::url;

/// A size that fits a documentation column and still shows the surface, the toolbar and the
/// loss chart.
pub const DEFAULT_EMBED_SIZE: (u32, u32) = (720, 560);

/// The full page for `scene` at `base` (the page's address without its hash): the scene as it
/// is, minus the embed settings, so the link opens the whole tool.
pub fn page_link(base: &str, scene: &Scene) -> String {
    let full = Scene {
        embed: false,
        hide: Vec::new(),
        ..scene.clone()
    };
    format!("{base}#{}", url::encode(&full))
}

/// The embedded view of `scene` with `hide` removed.
pub fn embed_link(base: &str, scene: &Scene, hide: &[Panel]) -> String {
    let embedded = Scene {
        embed: true,
        hide: hide.to_vec(),
        ..scene.clone()
    };
    format!("{base}#{}", url::encode(&embedded))
}

/// An `<iframe>` element embedding `scene` at `width` × `height` CSS pixels. No `style`
/// attribute: a page with a strict Content-Security-Policy (`style-src 'self'`) would block it.
pub fn iframe_snippet(base: &str, scene: &Scene, hide: &[Panel], size: (u32, u32)) -> String {
    let src = embed_link(base, scene, hide);
    let names: Vec<&str> = scene.optimizers.iter().map(|o| o.id.as_str()).collect();
    let title = format!(
        "gradscape: {} on {}",
        if names.is_empty() {
            "no optimizer".to_string()
        } else {
            names.join(", ")
        },
        scene.surface.id
    );
    format!(
        "<iframe src=\"{}\" width=\"{}\" height=\"{}\" title=\"{}\" loading=\"lazy\"></iframe>",
        attribute(&src),
        size.0,
        size.1,
        attribute(&title)
    )
}

/// `text` safe inside a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}
